package io.ringswitch.topology.cli;

import io.ringswitch.overlay.group.EnrolmentClient;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringswitch enrol}: makes this node's key, gets its certificate from the group server with
 * a one-time token, and writes a node configuration that {@code ringswitch node --config} starts.
 */
@Command(name = "enrol", mixinStandardHelpOptions = true,
        description = "Enrol this site with a one-time token from the group server; writes DIR/node.yaml and the node's key.")
final class EnrolCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, description = "The group server, https://HOST:PORT.")
    String server;

    @Option(names = "--token", required = true, description = "The enrolment token from the status page (SECRET.SHA256).")
    String token;

    @Option(names = "--out", required = true, description = "An empty directory for the node's key, certificate and config.")
    Path out;

    @Option(names = "--listen", defaultValue = "0.0.0.0:5800", description = "The node's UDP address (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--bridge", defaultValue = "br0", description = "The site's OVS bridge (default ${DEFAULT-VALUE}).")
    String bridge;

    @Option(names = "--tap", defaultValue = "rs0", description = "The overlay port's name (default ${DEFAULT-VALUE}).")
    String tap;

    @Override
    public Integer call() {
        try {
            EnrolmentClient.Result r = EnrolmentClient.enrol(new EnrolmentClient.Options(server, token, out, listen, bridge, tap));
            System.out.println("enrolled " + r.identity().certificate().name() + " at ring address "
                    + r.identity().certificate().address() + ", certificate valid until " + r.identity().certificate().notAfter());
            System.out.println("start it with: ringswitch node --config " + r.config());
            return 0;
        } catch (java.io.IOException | IllegalArgumentException e) {
            System.err.println("enrol: " + e.getMessage());
            return 1;
        }
    }
}
