package io.ringswitch.topology.bench;

import io.ringswitch.topology.Ping;
import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The measurements, the same for every system: an iperf3 server that stays up in the server's
 * namespace for all of a system's runs, iperf3 clients and ping in the client's namespace.
 */
final class TrafficProbe implements AutoCloseable {
    /** UDP payload per datagram: below every overlay MTU measured, so no system fragments. */
    static final int UDP_LENGTH = 1200;

    private final Endpoints ends;
    private final Process server;

    private TrafficProbe(Endpoints ends, Process server) {
        this.ends = ends;
        this.server = server;
    }

    /** Starts the iperf3 server on the server's address; {@code log} takes its output. */
    static TrafficProbe start(Endpoints ends, Path log) throws IOException {
        Process server = new ProcessBuilder(Shell.inNetns(ends.serverNamespace(), "iperf3", "-s", "-B", ends.serverAddress()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new TrafficProbe(ends, server);
    }

    /** TCP throughput received, Mbit/s, with {@code streams} parallel streams. */
    double tcpMbps(int seconds, int streams) throws IOException, InterruptedException {
        return client(seconds, "-P", Integer.toString(streams)).mbps();
    }

    /** A UDP run sending {@code mbps} Mbit/s: what arrived, the loss and the jitter. */
    PeerResult.Udp udp(int seconds, int mbps) throws IOException, InterruptedException {
        IperfReport.Sum sum = client(seconds, "-u", "-b", mbps + "M", "-l", Integer.toString(UDP_LENGTH));
        return new PeerResult.Udp(mbps, sum.mbps(), sum.lostPercent(), sum.jitterMs());
    }

    /** {@code count} pings, 0.1 s apart. */
    Ping ping(int count) throws IOException {
        Shell.Result r = Shell.run(Duration.ofSeconds(30 + count / 10), Shell.inNetns(ends.clientNamespace(), "ping", "-n", "-q",
                "-c", Integer.toString(count), "-i", "0.1", "-W", "2", ends.serverAddress()));
        return Ping.parse(r.output());
    }

    /** Runs one iperf3 client, retrying while the server is not listening yet or still busy with the last test. */
    private IperfReport.Sum client(int seconds, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("iperf3", "-c", ends.serverAddress(), "-t", Integer.toString(seconds), "-J"));
        command.addAll(List.of(options));
        Shell.Result result = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            if (!server.isAlive()) {
                throw new IOException("the iperf3 server exited");
            }
            result = Shell.run(Duration.ofSeconds(seconds + 30),
                    Shell.inNetns(ends.clientNamespace(), command.toArray(String[]::new)));
            // iperf3 -J exits 0 even when it could not connect; its JSON carries the error.
            if (!result.output().contains("Connection refused") && !result.output().contains("busy")) {
                break;
            }
            Thread.sleep(250);
        }
        return IperfReport.parse(result.output());
    }

    @Override
    public void close() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }
}
