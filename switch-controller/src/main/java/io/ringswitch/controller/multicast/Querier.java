package io.ringswitch.controller.multicast;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * When the switch queries its LAN for one address family: general queries at startup (RFC 3376
 * §8.6 and §8.7: robustness-many, a quarter query interval apart), then every query interval;
 * none while another querier with a lower address is heard, until the other querier present
 * interval passes without one (RFC 2236 §3 and §8.5, RFC 3376 §6.6.2, RFC 3810 §7.6.2). This
 * switch's own IPv4 address, 0.0.0.0 (a proxy querier), counts as the highest: any router wins.
 * Owned by the switch channel's thread.
 */
final class Querier {
    static final int ROBUSTNESS = 2;
    static final long RESPONSE_MILLIS = 10_000;

    private final boolean enabled;
    private final long intervalMillis;
    private final byte[] own;
    private int startupLeft = ROBUSTNESS;
    private long nextQueryAt;
    private long otherUntil = Long.MIN_VALUE;
    private InetAddress other;

    /**
     * @param own the switch's querier address: 0.0.0.0 (a proxy querier, loses to any router) or
     *            its IPv6 link-local address
     */
    Querier(boolean enabled, long intervalMillis, InetAddress own, long now) {
        this.enabled = enabled;
        this.intervalMillis = intervalMillis;
        this.own = own.getAddress();
        this.nextQueryAt = now;
    }

    /** A query heard on the LAN: one from a lower address silences this switch for a while. */
    void heard(InetAddress querier, long now) {
        if (wins(querier.getAddress())) {
            other = querier;
            otherUntil = now + otherQuerierPresentMillis();
        }
    }

    private boolean wins(byte[] them) {
        if (Arrays.equals(them, own)) {
            return false;
        }
        boolean ownIsProxy = own.length == 4 && Arrays.equals(own, new byte[4]);
        return ownIsProxy || them.length == own.length && Arrays.compareUnsigned(them, own) < 0;
    }

    /** Whether a general query is due now; when it is, the next one is scheduled. */
    boolean due(long now) {
        if (!querier(now) || now < nextQueryAt) {
            return false;
        }
        if (startupLeft > 1) {
            startupLeft--;
            nextQueryAt = now + intervalMillis / 4;
        } else {
            startupLeft = 0;
            nextQueryAt = now + intervalMillis;
        }
        return true;
    }

    /** Whether this switch is the LAN's querier now. */
    boolean querier(long now) {
        if (!enabled) {
            return false;
        }
        if (other != null && now >= otherUntil) {
            // RFC 3376 §6.6.2: the other querier went quiet; this switch queries again at once.
            other = null;
            nextQueryAt = now;
        }
        return other == null;
    }

    /** RFC 3376 §8.5: robustness times the query interval plus half the query response interval. */
    long otherQuerierPresentMillis() {
        return ROBUSTNESS * intervalMillis + RESPONSE_MILLIS / 2;
    }

    /** RFC 3376 §8.4: robustness times the query interval plus the query response interval. */
    long membershipMillis() {
        return ROBUSTNESS * intervalMillis + RESPONSE_MILLIS;
    }
}
