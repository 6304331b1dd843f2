package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The yardstick for the benchmark: two namespaces joined directly by a veth pair, with the same
 * MTU as the lab's hosts, measured with the same ping and iperf3 runs. Named under the lab's
 * prefix so that {@code lab down} removes it too.
 */
public final class VethBaseline {
    private static final Duration CMD = Duration.ofSeconds(30);

    /** The figures of one run. */
    public record Result(Ping ping, double iperfMbps) {
    }

    private VethBaseline() {
    }

    public static Result measure(LabSpec spec, int pingCount, int iperfSeconds, Consumer<String> progress)
            throws IOException, InterruptedException {
        String a = spec.prefix() + "-va";
        String b = spec.prefix() + "-vb";
        String mtu = Integer.toString(spec.overlayMtu());
        Path logDir = Files.createTempDirectory("ringswitch-baseline");
        progress.accept("baseline: namespaces " + a + " and " + b + " joined by a veth pair (MTU " + mtu + ")");
        try {
            Shell.run(CMD, "ip", "netns", "add", a).orThrow();
            Shell.run(CMD, "ip", "netns", "add", b).orThrow();
            Shell.run(CMD, "ip", "link", "add", "eth0", "netns", a, "mtu", mtu, "type", "veth", "peer", "name", "eth0",
                    "netns", b, "mtu", mtu).orThrow();
            Shell.run(CMD, "ip", "-n", a, "addr", "add", "10.78.0.1/24", "dev", "eth0").orThrow();
            Shell.run(CMD, "ip", "-n", b, "addr", "add", "10.78.0.2/24", "dev", "eth0").orThrow();
            for (String ns : new String[] {a, b}) {
                Shell.run(CMD, "ip", "-n", ns, "link", "set", "eth0", "up").orThrow();
                Shell.run(CMD, "ip", "-n", ns, "link", "set", "lo", "up").orThrow();
            }
            double mbps = Iperf.measure((ns, limit, cmd) -> Shell.run(limit, Shell.inNetns(ns, cmd)), b, "10.78.0.2", a,
                    iperfSeconds, logDir);
            Ping ping = Ping.parse(Shell.run(Duration.ofSeconds(60), Shell.inNetns(a, "ping", "-n", "-q", "-c",
                    Integer.toString(pingCount), "-i", "0.1", "10.78.0.2")).output());
            return new Result(ping, mbps);
        } finally {
            Shell.run(CMD, "ip", "netns", "delete", a);
            Shell.run(CMD, "ip", "netns", "delete", b);
            try (var files = Files.list(logDir)) {
                files.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(logDir);
        }
    }
}
