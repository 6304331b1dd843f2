package io.ringswitch.controller.arp;

/**
 * A token bucket: how many requests for unknown addresses the controller may flood a second, so
 * that a host scanning the subnet cannot turn the controller into a broadcast source.
 */
final class FloodBudget {
    private final double perMilli;
    private final double burst;
    private double tokens;
    private long last;

    FloodBudget(int perSecond, long nowMillis) {
        this.perMilli = perSecond / 1000.0;
        this.burst = perSecond;
        this.tokens = perSecond;
        this.last = nowMillis;
    }

    /** Takes one token if there is one. */
    boolean take(long nowMillis) {
        tokens = Math.min(burst, tokens + Math.max(0, nowMillis - last) * perMilli);
        last = nowMillis;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
