package io.ringswitch.overlay.group;

import java.time.Duration;
import java.time.Instant;

/**
 * When a node renews its certificate, and when it tries again after a failure. The first try is
 * two thirds into the certificate's validity, less a random part of up to a tenth of it, so that
 * nodes enrolled together do not all call the group server in the same second; a failed try is
 * repeated after 5 s, doubling with each failure in a row up to 10 minutes, never more than a
 * quarter of the time the certificate has left (so that a short-lived one gets several tries), and
 * a quarter longer at most at random. Pure: the caller draws the random numbers (0 to 1).
 */
final class RenewalSchedule {
    /** The share of a certificate's validity after which it is renewed. */
    static final double DUE_AT = 2.0 / 3.0;
    /** The largest share of the validity that the first try comes earlier, at random. */
    static final double JITTER = 0.1;
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(10);
    /** The largest share a retry's wait grows by, at random. */
    static final double RETRY_JITTER = 0.25;

    private RenewalSchedule() {
    }

    /** When a certificate valid from {@code notBefore} to {@code notAfter} is renewed; {@code u} in [0, 1). */
    static Instant due(Instant notBefore, Instant notAfter, double u) {
        long life = Duration.between(notBefore, notAfter).toMillis();
        return notBefore.plusMillis(Math.round(life * (DUE_AT - JITTER * u)));
    }

    /**
     * How long to wait after the {@code failures}-th failure in a row (1 for the first), when the
     * certificate has {@code left} before it expires; {@code u} in [0, 1).
     */
    static Duration retry(int failures, Duration left, double u) {
        long base = FIRST_RETRY.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        base = Math.min(base, MAX_RETRY.toMillis());
        base = Math.min(base, Math.max(FIRST_RETRY.toMillis(), left.toMillis() / 4));
        return Duration.ofMillis(Math.round(base * (1 + RETRY_JITTER * u)));
    }
}
