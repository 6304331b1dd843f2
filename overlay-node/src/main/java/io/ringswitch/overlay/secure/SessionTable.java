package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Sessions and handshakes in progress, by the peer's path (a UDP endpoint, a TCP connection, a
 * relay) and by index, and the rules for them: which ring address a path belongs to (the
 * certificate of its first session; a handshake there that proves another is refused, both
 * ways), which session to seal with, when to renew it, when to give up a handshake, how long to keep what waits, when a peer's sessions follow it to a new
 * path ({@link SessionRoaming}), when a
 * keepalive holds its NAT mapping open, and how the certificates a handshake proved bound its
 * session ({@link SessionCertificates}). A peer ({@link Peer}) keeps up to
 * {@link #SESSIONS_PER_PEER} sessions, a queue of datagrams waiting for a session, and at most one
 * handshake this node started. Confined to the event loop.
 */
final class SessionTable {
    static final long RETRY_NANOS = 1_000_000_000L;
    /** Peers this node makes for routed paths that sealed to it unasked stop at this many peers in all. */
    static final int UNSOLICITED_PEERS_LIMIT = 4096;
    static final int SESSIONS_PER_PEER = 4;
    /** A responder renews this much later than an initiator, so that both rarely start at once. */
    private static final long RESPONDER_DELAY_NANOS = 10_000_000_000L;

    /** What the table asks of the layer around it. */
    interface Actions {
        /**
         * Starts a handshake to {@code to} under {@code index}, which must prove the certificate of
         * {@code expected} (null: any member's, for a path that has no owner yet); false when it
         * cannot be queued.
         */
        boolean initiate(PeerPath to, int index, RingAddress expected);

        void resend(int index);

        void keepalive(Session s);

        /** Sends a datagram that waited for a session (it is sealed on the way out). */
        void send(Object packet);

        /** Feeds a record that came before its session back to the opening path. */
        void receive(PeerPath from, ByteBuf record);
    }

    private final SessionSettings settings;
    private final Indexes indexes;
    private final SecurityCounters counters;
    private final LongSupplier nanos;
    private final SessionCertificates certificates;
    private Actions actions;
    private final Map<PeerPath, Peer> peers = new HashMap<>();
    private final Map<Integer, Session> byIndex = new HashMap<>();
    private final Map<Integer, PeerPath> initiations = new HashMap<>();
    private final EarlyRecords early;
    private final WaitingDatagrams waiting = new WaitingDatagrams();
    private final SessionUpkeep upkeep;
    private final SessionRoaming roaming;
    private final SessionCensus census;

    /**
     * @param wallClock the time certificates are read against (X.509 validity is wall-clock)
     * @param provedNow when the certificate this node proves in new handshakes ends (later once
     *                  it is renewed); see {@link SessionCertificates}
     */
    SessionTable(SessionSettings settings, Indexes indexes, SecurityCounters counters, LongSupplier nanos,
                 Supplier<Instant> wallClock, Supplier<Instant> provedNow) {
        this.settings = settings;
        this.indexes = indexes;
        this.counters = counters;
        this.nanos = nanos;
        this.certificates = new SessionCertificates(wallClock, provedNow);
        this.early = new EarlyRecords(nanos, counters);
        this.upkeep = new SessionUpkeep(this, settings, counters, certificates);
        this.roaming = new SessionRoaming(this, counters);
        this.census = new SessionCensus(peers, settings, nanos);
    }

    void actions(Actions actions) {
        this.actions = actions;
    }

    // ---- sending ----

    /**
     * The session to seal for {@code to} with: the newest one the peer has proven it holds (a
     * record came on it), else the newest this node initiated and may use at once; null when
     * none. Starts the renewal of the newest when due.
     */
    Session sendSession(PeerPath to) {
        Peer p = peers.get(to);
        if (p == null) {
            return null;
        }
        long now = nanos.getAsLong();
        Session chosen = p.sending(now, settings.rejectAfterNanos());
        if (chosen == null) {
            return null;
        }
        p.lastSent = now;
        Session newest = p.sessions.peekFirst();
        long renewAt = settings.rekeyAfterNanos() + (newest.initiator ? 0 : RESPONDER_DELAY_NANOS);
        if (p.pendingIndex == 0 && chosen == newest && (p.lastRefused == 0 || now - p.lastRefused >= RETRY_NANOS)
                && (now - newest.created >= renewAt || newest.send.sealed() >= settings.rekeyAfterRecords()
                || SessionCertificates.ending(newest, now))) {
            initiate(to, p, true);
        }
        if (p.firstUnanswered == 0) {
            p.firstUnanswered = now;
        }
        return chosen;
    }

    /** Whether {@code s} was opened with a certificate that has ended since (its records are refused). */
    boolean outlived(Session s) {
        return s.outlived(nanos.getAsLong());
    }

    /** Keeps {@code packet} until a session with {@code to} exists, starting a handshake for it. */
    void await(PeerPath to, Object packet) {
        Peer p = peers.computeIfAbsent(to, k -> new Peer());
        for (int dropped = waiting.add(p, packet); dropped > 0; dropped--) {
            counters.count("queue-overflow", to);
        }
        if (p.pendingIndex == 0) {
            initiate(to, p, false);
        }
    }

    // ---- receiving ----

    Session byIndex(int index) {
        return byIndex.get(index);
    }

    /**
     * Holds a record for a session the handshake thread is still making (the initiator sends
     * right after its last message); true when held.
     */
    boolean holdEarly(int index, ByteBuf record) {
        return indexes.inUse(index) && !initiations.containsKey(index) && early.hold(index, record);
    }

    /** A record opened on {@code s}: the first one proves the peer has the keys. */
    void opened(Session s) {
        Peer p = peers.get(s.path);
        if (p != null) {
            p.firstUnanswered = 0;
            p.lastHeard = nanos.getAsLong();
        }
        if (s.confirmed) {
            return;
        }
        s.confirmed = true;
        if (!s.initiator && p != null) {
            keepalive(p, s);
        }
        flush(p);
    }

    /** The peer of {@code s} now sends from {@code to}: see {@link SessionRoaming#roam}. */
    boolean roam(Session s, PeerPath to) {
        return roaming.roam(s, to);
    }

    /**
     * Records for a session this node does not know from an endpoint it had sessions with (the
     * peer restarted, or kept an old session): start a new handshake, at most once per five
     * seconds, so that both sides move to fresh keys without waiting for the ring to notice.
     * Never for strangers: a forged record from a spoofed source must not make this node send a
     * handshake to a third party.
     */
    void unknownSession(PeerPath sender) {
        Peer p = peers.get(sender);
        long now = nanos.getAsLong();
        if (p == null && sender instanceof PeerPath.Routed && peers.size() < UNSOLICITED_PEERS_LIMIT) {
            // A site seals over the ring for a session this node no longer has (this node restarted
            // and lost its keys; the site still holds the old session). Answer with a handshake of
            // our own, as to a path with a peer, instead of leaving the site to notice the silence:
            // its frames would be lost until then. The routed source is not proven, so at most one
            // handshake per such path per 5 s, and only while the table has room.
            p = new Peer();
            p.lastUnknown = now - 5 * RETRY_NANOS;
            peers.put(sender, p);
            counters.count("routed-unknown-session-answered", sender);
        }
        if (p == null || p.pendingIndex != 0 || now - p.lastUnknown < 5 * RETRY_NANOS) {
            return;
        }
        p.lastUnknown = now;
        initiate(sender, p, false);
    }

    // ---- handshakes ----

    /** Whether a RESPONSE or COOKIE for {@code index} from {@code from} answers our message 1. */
    boolean awaitsAnswer(int index, PeerPath from) {
        return from.equals(initiations.get(index));
    }

    /** Whether a FINISH for {@code index} may belong to a handshake we answered. */
    boolean awaitsFinish(int index) {
        return indexes.inUse(index) && !byIndex.containsKey(index) && !initiations.containsKey(index);
    }

    /** A cookie came for our message 1: its repeat is due now, not at the next retry. */
    void cookieCame(PeerPath from) {
        Peer p = peers.get(from);
        if (p != null) {
            p.lastAttempt = nanos.getAsLong();
        }
    }

    /**
     * A handshake completed: its session joins the path's, unless the path belongs to another ring
     * address than the certificate the handshake proved (a member answering, or starting, a
     * handshake on another member's path): then the handshake is dropped, counted and logged, and
     * the path's sessions stay as they were.
     */
    void established(Handshaker.Established e) {
        Peer p = peers.computeIfAbsent(e.path(), k -> new Peer());
        RingAddress proved = e.peer().address();
        if (p.owner == null) {
            p.owner = named(e.path()) != null ? named(e.path()) : proved;
        }
        if (!p.owner.equals(proved)) {
            refuseStranger(p, e);
            return;
        }
        long now = nanos.getAsLong();
        Session s = new Session(e.path(), e.peer().address(), e.peer().name(),
                new RecordCipher(e.keys().send(), e.remoteIndex(), e.aead()),
                new RecordCipher(e.keys().receive(), e.localIndex(), e.aead()),
                e.localIndex(), e.initiator(), now, !p.sessions.isEmpty(), certificates.endsAt(e, now), e.provedUntil());
        p.sessions.addFirst(s);
        byIndex.put(e.localIndex(), s);
        while (p.sessions.size() > SESSIONS_PER_PEER) {
            drop(p.sessions.removeLast());
        }
        counters.handshakes.inc();
        early.replay(e.localIndex(), record -> actions.receive(e.path(), record));
        if (e.initiator()) {
            if (p.pendingIndex == e.localIndex()) {
                if (p.pendingRenewal) {
                    counters.rekeys.inc();
                }
                clearPending(p, false);
            }
            initiations.remove(e.localIndex());
            keepalive(p, s);
            flush(p);
        }
    }

    /** The peer a path names itself (a relay's far end, a routed path's site); null for UDP and TCP. */
    private static RingAddress named(PeerPath path) {
        return path instanceof PeerPath.Relay relay ? relay.peer()
                : path instanceof PeerPath.Routed ring ? ring.peer() : null;
    }

    private void refuseStranger(Peer p, Handshaker.Established e) {
        counters.refuse(e.path(), e.peer().name(), e.initiator() ? "responder-not-peer" : "initiator-not-peer",
                "the path belongs to " + p.owner.shortString() + ", the certificate is " + e.peer().address().shortString(),
                System.currentTimeMillis());
        early.discard(e.localIndex());
        initiations.remove(e.localIndex());
        if (e.initiator() && p.pendingIndex == e.localIndex()) {
            p.pendingIndex = 0;
            p.lastRefused = nanos.getAsLong();
        }
        indexes.release(e.localIndex());
    }

    /** The handshake {@code localIndex} with {@code from} failed its checks: no point repeating it. */
    void refused(PeerPath from, int localIndex) {
        Peer p = from == null ? null : peers.get(from);
        if (p != null && localIndex != 0 && p.pendingIndex == localIndex) {
            p.lastRefused = nanos.getAsLong();
            dropQueue(p, "handshake-refused-queue");
            clearPending(p, true);
        }
    }

    void initiate(PeerPath to, Peer p, boolean renewal) {
        if (certificates.ownEnded()) {
            // This node's own certificate has ended while it ran: every peer refuses it, and a
            // session made with it would end at once. What waits for one is dropped.
            counters.count("own-certificate-expired", to);
            dropQueue(p, "own-certificate-expired-queue");
            return;
        }
        int local = indexes.allocate();
        p.pendingIndex = local;
        p.lastAttempt = nanos.getAsLong();
        p.attempts = 1;
        p.pendingRenewal = renewal;
        initiations.put(local, to);
        RingAddress expected = named(to) != null ? named(to) : p.owner;
        if (!actions.initiate(to, local, expected)) {
            counters.count("queue-full", to);
            clearPending(p, true);
        }
    }

    /** Handshakes this node started that have neither been established nor given up. */
    int initiating() {
        return initiations.size();
    }

    void clearPending(Peer p, boolean release) {
        if (p.pendingIndex != 0) {
            initiations.remove(p.pendingIndex);
            if (release) {
                indexes.release(p.pendingIndex);
            }
        }
        p.pendingIndex = 0;
    }

    /** Sends what waited at {@code p}, now that it has a session. */
    void flush(Peer p) {
        if (p == null || p.queue.isEmpty()) {
            return;
        }
        waiting.drain(p).forEach(actions::send);
    }

    void keepalive(Peer p, Session s) {
        actions.keepalive(s);
        p.lastSent = nanos.getAsLong();
    }

    void drop(Session s) {
        byIndex.remove(s.localIndex);
        indexes.release(s.localIndex);
    }

    void dropQueue(Peer p, String reason) {
        if (!p.queue.isEmpty()) {
            counters.count(reason, null);
        }
        waiting.drain(p).forEach(ReferenceCountUtil::release);
    }

    // ---- time ----

    /** Retries, renewals and expiry: see {@link SessionUpkeep#tick}. */
    void tick() {
        upkeep.tick(nanos.getAsLong());
    }

    /** What {@link SessionUpkeep} and {@link SessionRoaming} work on: the peers by path. */
    Map<PeerPath, Peer> peers() {
        return peers;
    }

    void expireEarly(long now) {
        early.expire(now);
    }

    void resend(int index) {
        actions.resend(index);
    }

    /** Closes a revoked member's sessions: see {@link SessionUpkeep#closeRevoked}. */
    int closeRevoked(java.util.function.Predicate<RingAddress> revoked) {
        return upkeep.closeRevoked(revoked);
    }

    /** What the status reads of the peers: see {@link SessionCensus}. */
    SessionCensus census() {
        return census;
    }

    /** Releases everything held. */
    void close() {
        early.close();
        peers.values().forEach(p -> waiting.drain(p).forEach(ReferenceCountUtil::release));
        peers.clear();
    }
}
