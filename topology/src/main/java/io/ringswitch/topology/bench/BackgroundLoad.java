package io.ringswitch.topology.bench;

import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The background iperf3 of {@link RelayBench} that keeps the nodes of sites 1 and 2 busy;
 * restarted before a run if it ended.
 */
final class BackgroundLoad {
    private final Lab lab;
    private final int mbps;
    private final Consumer<String> progress;
    private final Process server;
    private Process client;

    private BackgroundLoad(Lab lab, int mbps, Consumer<String> progress) throws IOException {
        this.lab = lab;
        this.mbps = mbps;
        this.progress = progress;
        LabSpec spec = lab.spec();
        this.server = new ProcessBuilder(Shell.inNetns(spec.hostNamespace(1, 1), "iperf3", "-s", "-B", spec.hostIp(1, 1)))
                .redirectErrorStream(true).redirectOutput(lab.siteDir(1).resolve("iperf3-load-server.log").toFile()).start();
    }

    /** Starts the load, or returns null for none. */
    static BackgroundLoad start(Lab lab, int mbps, Consumer<String> progress) throws IOException, InterruptedException {
        if (mbps == 0) {
            progress.accept("no background load");
            return null;
        }
        BackgroundLoad load = new BackgroundLoad(lab, mbps, progress);
        try {
            Thread.sleep(300);
            load.startClient();
        } catch (IOException | InterruptedException | RuntimeException e) {
            load.stop();
            throw e;
        }
        progress.accept("background load: " + RelayBench.loadDescription(mbps));
        return load;
    }

    private void startClient() throws IOException {
        LabSpec spec = lab.spec();
        client = new ProcessBuilder(Shell.inNetns(spec.hostNamespace(2, 1), "iperf3", "-c", spec.hostIp(1, 1), "-t", "86400",
                "-b", mbps + "M", "-i", "10")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(lab.siteDir(2).resolve("iperf3-load.log").toFile())).start();
    }

    /** Starts the client again if it ended (a connection broken by a restart, say). */
    void keepRunning() throws IOException {
        if (client == null || !client.isAlive()) {
            progress.accept("background load had stopped (see " + lab.siteDir(2).resolve("iperf3-load.log") + "); starting it again");
            startClient();
        }
    }

    void stop() throws InterruptedException {
        for (Process p : client == null ? List.of(server) : List.of(client, server)) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
