package io.ringswitch.overlay.secure;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * How the certificates a handshake proved bound the session it made (issue 19's short-lived
 * certificates): the session ends when the first of the two ends ({@link #endsAt}); it is renewed
 * once when they end within {@link #MARGIN_NANOS} ({@link #ending}); a session that proved this
 * node's certificate from before a renewal is replaced ({@link #provesOld}); and a node whose own
 * certificate ended while it ran starts no handshake ({@link #ownEnded}). Certificate times are
 * wall-clock, as X.509 validity is; session times are the table's monotonic clock.
 */
final class SessionCertificates {
    /**
     * A session whose certificates end within this long is renewed (once: a session made inside
     * this margin is not), so that a peer's renewed certificate is proved before the old one ends
     * even when the peer does not start the handshake itself.
     */
    static final long MARGIN_NANOS = 10_000_000_000L;

    private final Supplier<Instant> wallClock;
    private final Supplier<Instant> provedNow;
    /**
     * Whether this node stops starting handshakes once its own certificate ends: true unless it
     * started with an ended one (the security demo's deliberately expired node, which must keep
     * trying so that its peers show their refusals).
     */
    private final boolean quietWhenExpired;

    /**
     * @param wallClock the time certificates are read against
     * @param provedNow when the certificate this node proves in new handshakes ends (later once
     *                  it is renewed)
     */
    SessionCertificates(Supplier<Instant> wallClock, Supplier<Instant> provedNow) {
        this.wallClock = wallClock;
        this.provedNow = provedNow;
        this.quietWhenExpired = wallClock.get().isBefore(provedNow.get());
    }

    /** On the table's clock, whose time is {@code now}: when the first certificate {@code e} proved ends. */
    long endsAt(Handshaker.Established e, long now) {
        Instant ends = e.peer().notAfter().isBefore(e.provedUntil()) ? e.peer().notAfter() : e.provedUntil();
        long left = Math.max(0, Math.min(Duration.between(wallClock.get(), ends).toNanos(), Long.MAX_VALUE / 4));
        return now + left;
    }

    /**
     * Whether {@code s} should be renewed because a certificate it was opened with ends soon: it
     * ends within {@link #MARGIN_NANOS} and was made before that margin began (a session made
     * inside it already proved the newest certificates either side had).
     */
    static boolean ending(Session s, long now) {
        long marginStart = s.endsAt - MARGIN_NANOS;
        return now - marginStart >= 0 && marginStart - s.created > 0;
    }

    /** When the certificate this node proves now ends. */
    Instant proving() {
        return provedNow.get();
    }

    /** Whether {@code newest} proved a certificate of this node that has been renewed since {@code proving}. */
    static boolean provesOld(Session newest, Instant proving) {
        return newest != null && newest.provedUntil.isBefore(proving);
    }

    /** Whether this node's own certificate has ended while it ran (and it should start no handshake). */
    boolean ownEnded() {
        return quietWhenExpired && !wallClock.get().isBefore(provedNow.get());
    }
}
