package io.ringswitch.overlay.api;

/**
 * NAT traversal: how often an idle link sends a keepalive to hold NAT mappings open, how a
 * relay is chosen when two sites cannot reach each other directly ({@code latency}: the lowest
 * round trip through it; {@code stability}: the oldest links), and whether TCP links are tried
 * where UDP fails.
 *
 * <pre>
 * nat: {keepaliveSeconds: 15, relayChoice: latency, tcp: true}
 * </pre>
 */
public record NatConfig(
        @Doc(value = "Seconds between keepalives on an idle link, to hold NAT mappings open (1 to 300).", byDefault = "15",
                example = "25") Integer keepaliveSeconds,
        @Doc(value = "How a relay is chosen when two sites cannot reach each other directly: latency (the lowest round trip"
                + " through it) or stability (the oldest links).", byDefault = "latency", example = "stability")
        String relayChoice,
        @Doc(value = "Whether TCP links are tried where UDP fails.", byDefault = "true", example = "false") Boolean tcp) {

    /** The defaults: 15 s keepalives, relays by latency, TCP tried. */
    public static NatConfig defaults() {
        return new NatConfig(15, "latency", true);
    }

    NatConfig checked(ConfigProblems problems) {
        int keepalive = keepaliveSeconds == null ? 15 : keepaliveSeconds;
        if (keepalive < 1 || keepalive > 300) {
            problems.add("nat.keepaliveSeconds", keepalive, "1 to 300 seconds");
        }
        String choice = relayChoice == null ? "latency" : relayChoice;
        if (!choice.equals("latency") && !choice.equals("stability")) {
            problems.add("nat.relayChoice", choice, "latency or stability");
        }
        return new NatConfig(keepalive, choice, tcp == null || tcp);
    }

    /** Whether relays are chosen by link age rather than round-trip time. */
    public boolean byStability() {
        return "stability".equals(relayChoice);
    }
}
