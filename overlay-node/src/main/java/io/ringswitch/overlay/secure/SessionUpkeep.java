package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.PeerPath;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import io.ringswitch.overlay.ring.RingAddress;

/**
 * What time and revocation do to a {@link SessionTable}: handshakes retried with back-off and given up, a new
 * handshake when a peer has answered nothing for {@link SessionTable#SILENCE_NANOS}, a renewed
 * certificate of this node proved to peers a few a tick, keepalives that hold NAT mappings open,
 * and sessions dropped when they expire, were never confirmed, or outlived their certificates;
 * and a revoked member's sessions closed at once ({@link #closeRevoked}).
 * Confined to the event loop, like the table.
 */
final class SessionUpkeep {
    static final int ATTEMPTS = 5;
    static final long CONFIRM_NANOS = 5_000_000_000L;
    /**
     * A peer this node has sealed records for, with nothing back on any session for this long, may
     * have lost its keys (it restarted; WireGuard starts a new handshake after 15 s without a
     * reply): a new handshake starts. The ring's keepalives cross every few seconds, so a live
     * peer is never this quiet while it is sent to.
     */
    static final long SILENCE_NANOS = 6_000_000_000L;
    /**
     * A peer silent this long, to which this node sent nothing either, gets one keepalive
     * ({@link Peer#keepaliveDue}): longer than the ring's ping interval (4.5 s on far links),
     * shorter than its 9 s to call a link dead.
     */
    static final long PROBE_NANOS = 5_000_000_000L;
    /**
     * After this node's certificate is renewed, at most this many peers a tick (4 a second) get a
     * handshake that proves the new one, so that a node with many links spreads them out.
     */
    static final int PROVE_RENEWED_PER_TICK = 8;

    private final SessionTable table;
    private final SessionSettings settings;
    private final SecurityCounters counters;
    private final SessionCertificates certificates;

    SessionUpkeep(SessionTable table, SessionSettings settings, SecurityCounters counters,
                  SessionCertificates certificates) {
        this.table = table;
        this.settings = settings;
        this.counters = counters;
        this.certificates = certificates;
    }

    /** One pass over every peer at {@code now} (the table calls it 4 times a second). */
    void tick(long now) {
        Instant proving = certificates.proving();
        int provesLeft = PROVE_RENEWED_PER_TICK;
        table.expireEarly(now);
        for (Iterator<Map.Entry<PeerPath, Peer>> it = table.peers().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PeerPath, Peer> e = it.next();
            Peer p = e.getValue();
            retryHandshake(e.getKey(), p, now);
            if (!p.sessions.isEmpty() && p.pendingIndex == 0 && p.firstUnanswered != 0
                    && now - p.firstUnanswered >= SILENCE_NANOS
                    && now - p.lastUnknown >= 5 * SessionTable.RETRY_NANOS) {
                // Sealing for 6 s and nothing came back on any session: the peer may have lost
                // its keys. Ask for a new session.
                p.lastUnknown = now;
                p.firstUnanswered = now;
                counters.count("session-silent", e.getKey());
                table.initiate(e.getKey(), p, false);
            }
            if (provesLeft > 0 && p.pendingIndex == 0 && SessionCertificates.provesOld(p.sessions.peekFirst(), proving)
                    && now - p.lastAttempt >= 5 * SessionTable.RETRY_NANOS
                    && (p.lastRefused == 0 || now - p.lastRefused >= SessionTable.RETRY_NANOS)) {
                // This node's certificate was renewed: a handshake proves the new one before the
                // old one ends and takes the sessions it opened with it.
                provesLeft--;
                table.initiate(e.getKey(), p, true);
            }
            Session idle = p.keepaliveDue(now, settings.keepaliveNanos(), PROBE_NANOS,
                    settings.rejectAfterNanos());
            if (idle != null) {
                table.keepalive(p, idle);
                counters.keepalivesSent.inc();
            }
            dropEnded(p, now);
            if (p.idle()) {
                it.remove();
            }
        }
    }

    /**
     * Closes at once every session whose peer {@code revoked} names (issue 19), drops what waits
     * for such a peer and forgets the paths it owned; its records are then unknown here and its
     * new handshakes are refused by the certificate check. Returns how many peers lost sessions.
     */
    int closeRevoked(Predicate<RingAddress> revoked) {
        int peersClosed = 0;
        for (Iterator<Map.Entry<PeerPath, Peer>> it = table.peers().entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PeerPath, Peer> e = it.next();
            Peer p = e.getValue();
            boolean any = false;
            for (Iterator<Session> si = p.sessions.iterator(); si.hasNext(); ) {
                Session s = si.next();
                if (revoked.test(s.peer)) {
                    table.drop(s);
                    si.remove();
                    counters.revokedSessionsClosed.inc();
                    any = true;
                }
            }
            boolean owned = p.owner != null && revoked.test(p.owner);
            if (any || owned) {
                peersClosed++;
                table.dropQueue(p, "revoked-queue");
                table.clearPending(p, true);
                if (owned || p.idle()) {
                    it.remove();
                }
            }
        }
        counters.revokedPeersClosed.inc(peersClosed);
        return peersClosed;
    }

    /** Repeats this node's message 1 with back-off (1, 2, 4, 4 s), and gives up after {@link SessionTable#ATTEMPTS}. */
    private void retryHandshake(PeerPath path, Peer p, long now) {
        if (p.pendingIndex == 0 || now - p.lastAttempt < SessionTable.RETRY_NANOS << Math.min(p.attempts - 1, 2)) {
            return;
        }
        if (p.attempts >= ATTEMPTS) {
            counters.count("handshake-timeout", path);
            table.dropQueue(p, "handshake-timeout-queue");
            table.clearPending(p, true);
        } else {
            p.attempts++;
            p.lastAttempt = now;
            table.resend(p.pendingIndex);
        }
    }

    /** Drops sessions that expired, were never confirmed, or outlived a certificate. */
    private void dropEnded(Peer p, long now) {
        for (Iterator<Session> si = p.sessions.iterator(); si.hasNext(); ) {
            Session s = si.next();
            boolean expired = now - s.created >= settings.rejectAfterNanos();
            boolean unconfirmed = s.initiator && !s.confirmed && now - s.created >= CONFIRM_NANOS;
            boolean outlived = s.outlived(now);
            if (expired || unconfirmed || outlived) {
                if (unconfirmed) {
                    counters.count("handshake-unconfirmed", s.path);
                }
                if (outlived && !expired && s == p.sessions.peekFirst()) {
                    // The newest session ends with a certificate: no handshake replaced it in
                    // time (a side that could not renew, or a peer gone quiet).
                    counters.count("session-certificate-ended", s.path);
                }
                table.drop(s);
                si.remove();
            }
        }
    }
}
