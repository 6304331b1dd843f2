package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.control.ControlRequest;
import io.ringswitch.overlay.control.PingReport;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ringswitch ping}: how an echo reaches a site, as {@code tailscale ping} tells it: over a
 * link of its own (UDP or TCP), over a relay and which, or routed over the ring with its hops.
 */
@Command(name = "ping", mixinStandardHelpOptions = true,
        description = "Echo a site over the ring from the node on this host and say how it went: direct over UDP or TCP, "
                + "relayed via which node, or routed over the ring with how many hops; and the round trip.")
final class PingCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SITE|HOST", description = "A site name, a ring address (40 hex digits), or the IP "
            + "address of a host at a site.")
    String target;

    @Option(names = "--count", defaultValue = "1", description = "Echoes to send, one after the other (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Mixin
    ControlSocketOptions node;

    @Override
    public Integer call() throws Exception {
        PingReport report;
        try {
            report = node.ask(ControlRequest.ping(target, count)).ping();
        } catch (IOException e) {
            System.err.println("ringswitch ping: " + e.getMessage());
            return 1;
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(report));
        } else {
            report.replies().forEach(r -> System.out.println(line(report, r)));
        }
        return report.replies().stream().anyMatch(r -> r.error() == null) ? 0 : 1;
    }

    /** One echo in words. */
    static String line(PingReport report, PingReport.Reply r) {
        String who = report.target().equals(report.address()) ? report.address().substring(0, 8)
                : report.target() + " (" + report.address().substring(0, 8) + ")";
        if (r.error() != null) {
            return "no answer from " + who + (r.path() == null ? "" : " over " + r.path()) + ": " + r.error();
        }
        String rtt = String.format(Locale.ROOT, "%.2f ms", r.rttMillis());
        return switch (r.way()) {
            case "direct" -> "pong from " + who + " via " + r.path().replaceFirst(":", " ") + " (direct) in " + rtt;
            case "relay" -> "pong from " + who + " via relay " + r.via().substring(0, 8) + " (relayed link) in " + rtt;
            case "self" -> "pong from " + who + " (this node) in " + rtt;
            default -> "pong from " + who + " over the ring: " + r.hopsThere() + " hops there, " + r.hopsBack()
                    + " back, in " + rtt;
        };
    }
}
