package io.ringswitch.overlay.ring;

/**
 * Tunables of a ring node. Times are in milliseconds of the injected clock.
 *
 * @param shortcuts            Symphony shortcuts each node draws
 * @param minNearPerSide       near neighbours kept on each side, at least
 * @param maxNearPerSide       near neighbours kept on each side as the ring grows (about log10 N)
 * @param tickMillis           how often the node does its periodic work
 * @param statusMillis         how often a node claims its near links and tells them of a changed view
 * @param pingMillis           keepalive interval of near links (other links: one and a half times as long)
 * @param deadAfterMillis      silence after which a link is taken for dead
 * @param selfLookupMillis     how often a node looks for its own neighbours again
 * @param shortcutMillis       how often missing shortcuts are looked for
 * @param maxLinks             links a node accepts at most
 * @param maxTtl               hop limit of routed messages and broadcasts
 * @param hopAckMillis         how long a reliable hop waits for its acknowledgement when the link's RTT is unknown
 * @param maxRetries           other next hops a reliable message tries before it is dropped
 * @param relayChoice          how a two-hop relay is chosen when two nodes cannot link directly
 * @param tcp                  whether TCP is tried where UDP gets no answer
 */
public record RingConfig(int shortcuts, int minNearPerSide, int maxNearPerSide, long tickMillis, long statusMillis,
                         long pingMillis, long deadAfterMillis, long selfLookupMillis, long shortcutMillis,
                         int maxLinks, int maxTtl, long hopAckMillis, int maxRetries, RelayChoice relayChoice,
                         boolean tcp) {

    /** How a relay is chosen among the candidates (issue 10; the IPOP paper's §4.3 leaves it open). */
    public enum RelayChoice {
        /** The lowest round trip through the relay. */
        LATENCY,
        /** The oldest link to the relay: it has lasted, so it is likely to last. */
        STABILITY
    }

    public RingConfig {
        if (shortcuts < 0 || shortcuts > 16) {
            throw new IllegalArgumentException("shortcuts: 0 to 16, got " + shortcuts);
        }
        if (minNearPerSide < 2 || maxNearPerSide < minNearPerSide || maxNearPerSide > 8) {
            throw new IllegalArgumentException("near neighbours per side: at least 2, at most 8");
        }
        if (maxTtl < 8 || maxTtl > 255) {
            throw new IllegalArgumentException("maxTtl: 8 to 255, got " + maxTtl);
        }
        if (relayChoice == null) {
            throw new IllegalArgumentException("relayChoice: latency or stability");
        }
    }

    public static RingConfig defaults() {
        return new RingConfig(6, 2, 4, 1000, 2000, 3000, 9000, 20_000, 5000, 64, 64, 1000, 3, RelayChoice.LATENCY,
                true);
    }

    public RingConfig withShortcuts(int count) {
        return new RingConfig(count, minNearPerSide, maxNearPerSide, tickMillis, statusMillis, pingMillis,
                deadAfterMillis, selfLookupMillis, shortcutMillis, maxLinks, maxTtl, hopAckMillis, maxRetries,
                relayChoice, tcp);
    }

    /** The same tunables with NAT traversal's: how relays are chosen, and whether TCP is tried. */
    public RingConfig withNat(RelayChoice choice, boolean tryTcp) {
        return new RingConfig(shortcuts, minNearPerSide, maxNearPerSide, tickMillis, statusMillis, pingMillis,
                deadAfterMillis, selfLookupMillis, shortcutMillis, maxLinks, maxTtl, hopAckMillis, maxRetries,
                choice, tryTcp);
    }
}
