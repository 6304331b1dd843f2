package io.ringswitch.topology.cli;

import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.dashboard.DashboardServer;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabRingStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringswitch dashboard}: one live page for a whole running lab, merged from the status files
 * its nodes write, served until interrupted.
 */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serve a live page of a running lab's ring: every node placed by ring address, every link "
                + "coloured by path kind (udp, tcp, relay), RTT and throughput on hover, DHT and security counters.")
public final class DashboardCommand implements Callable<Integer> {

    @Option(names = "--name", defaultValue = "lab", description = "Lab name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--listen", defaultValue = "127.0.0.1:9470", paramLabel = "HOST:PORT",
            description = "Address to serve the page on (default ${DEFAULT-VALUE}; keep it on loopback: the page shows "
                    + "the lab's addresses and counters to whoever reaches it).")
    String listen;

    @Override
    public Integer call() throws Exception {
        Path dir = Lab.RUN_ROOT.resolve(name);
        if (LabRingStatus.read(dir).isEmpty()) {
            System.err.println("no lab named '" + name + "' is up (ringswitch lab up --name " + name + ")");
            return 1;
        }
        InetSocketAddress address;
        try {
            address = Endpoints.parse(listen);
        } catch (IllegalArgumentException e) {
            System.err.println("bad --listen: " + e.getMessage());
            return 2;
        }
        try (DashboardServer server = serve(dir, address)) {
            System.out.println("dashboard of lab '" + name + "' on " + server.url() + " (Ctrl-C to stop)");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "dashboard-shutdown"));
            stopped.await();
        }
        return 0;
    }

    /**
     * Serves the dashboard of the lab whose run directory is {@code dir} on {@code address}, its
     * status files read anew on every poll (port 0: any free port). The browser test serves it so.
     */
    public static DashboardServer serve(Path dir, InetSocketAddress address) throws IOException {
        return DashboardServer.start(address, () -> {
            try {
                return LabRingStatus.read(dir).orElseThrow(() -> new IllegalStateException("the lab is no longer up"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
