package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The secure layer's side of the handshakes: it owns the {@link Handshaker}, admits the handshake
 * messages that reach the layer to it and takes its results back to the event loop. An initiation
 * is counted against its source's rate limit and, under load or when the answer would be larger
 * than the question, must carry a valid cookie (else one is sent, as WireGuard's cookie reply
 * does). A response, finish or cookie must name a handshake this node is running with that
 * path ({@link SessionTable}). Kept apart from the handler so that the cheap checks that stand
 * between the network and the handshakes' public-key work are in one place. On the event loop,
 * but for {@link Handshaker.Results}, which the handshake thread calls.
 */
final class HandshakeGate implements Handshaker.Results {
    /** How long the node counts as under load after the handshake queue last reached its mark. */
    static final long UNDER_LOAD_NANOS = 1_000_000_000L;
    /**
     * Handshake states held from which every initiator must show a cookie before it gets one: a
     * quarter of the table, so that sources that cannot receive (spoofed ones) never hold more
     * than this and the rest stays free for initiators that can.
     */
    static final int COOKIES_FROM_STATES = Handshaker.MAX_STATES / 4;
    /** A prefix's budget is this many times an address's: a few sites may share a NAT's /24. */
    static final int PREFIX_FACTOR = 4;

    private final SessionSettings settings;
    private final Handshaker handshaker;
    private final SessionTable sessions;
    private final SecurityCounters counters;
    private final LongSupplier nanos;
    private final CookieJar cookies;
    private final SourceRateLimiter limiter;
    /** The same per network prefix (/24, /64): one host's many addresses share a budget. */
    private final SourceRateLimiter prefixes;
    private final Link link;
    private long underLoadUntil;

    /** What the gate asks of the secure layer it serves. */
    interface Link {
        /** Runs {@code work} on the event loop; drops it once the loop has stopped (the node closed). */
        void onLoop(Runnable work);

        /** Writes {@code datagram} through the layer and flushes it; on the event loop. */
        void send(Object datagram);

        /** Writes {@code datagram} from the channel and flushes it; from any thread. */
        void post(Object datagram);
    }

    HandshakeGate(SessionSettings settings, byte[] staticPrivate, LinkCredentials credentials,
                  Indexes indexes, SessionTable sessions, SecurityCounters counters, SecureRandom random,
                  LongSupplier nanos, Supplier<Instant> wallClock, Link link) {
        this.settings = settings;
        this.sessions = sessions;
        this.counters = counters;
        this.nanos = nanos;
        this.link = link;
        this.cookies = new CookieJar(random, nanos.getAsLong());
        this.limiter = new SourceRateLimiter(settings.handshakesPerSecond(), settings.handshakeBurst());
        this.prefixes = new SourceRateLimiter(settings.handshakesPerSecond() * PREFIX_FACTOR,
                settings.handshakeBurst() * PREFIX_FACTOR);
        this.handshaker = new Handshaker(staticPrivate, credentials, indexes, this, random, nanos, wallClock);
    }

    @Override
    public void established(Handshaker.Established session) {
        link.onLoop(() -> sessions.established(session));
    }

    @Override
    public void refused(PeerPath from, int localIndex, String peer, String reason, String detail) {
        link.onLoop(() -> {
            counters.refuse(from, peer, reason, detail, System.currentTimeMillis());
            sessions.refused(from, localIndex);
        });
    }

    @Override
    public void send(ByteBuf datagram, PeerPath to) {
        link.post(SecureLinkHandler.datagram(datagram, to));
    }

    /**
     * Starts a handshake with {@code to} under {@code index}, to be refused unless the responder
     * proves {@code expected} (null: any member); false when the queue is full.
     */
    boolean initiate(PeerPath to, int index, RingAddress expected) {
        return handshaker.initiate(to, index, expected);
    }

    /** Sends the initiation of handshake {@code index} again, with no cookie. */
    void resend(int index) {
        handshaker.resend(index, null);
    }

    /** Work waiting for the handshake thread. */
    int queued() {
        return handshaker.queued();
    }

    /** Runs {@code then} after the handshake work handed over so far: see {@link Handshaker#afterQueued}. */
    boolean afterQueued(Runnable then) {
        return handshaker.afterQueued(then);
    }

    /** Stops the handshake thread. */
    void close() {
        handshaker.close();
    }

    /** An initiation, {@code d} whole and {@code body} its payload. */
    void onInit(PeerPath sender, ByteBuf d, ByteBuf body) throws HandshakeCodec.Malformed {
        long now = nanos.getAsLong();
        Object source = source(sender);
        if (!limiter.allow(source, now)) {
            counters.count("rate-limited", sender);
            return;
        }
        if (!prefixes.allow(SourceRateLimiter.prefix(source), now)) {
            counters.count("prefix-rate-limited", sender);
            return;
        }
        HandshakeCodec.Init m = HandshakeCodec.decodeInit(body);
        // A cookie first when under load, with the table a quarter full, or when answering would
        // send more than came in.
        if (settings.cookiesAlways() || underLoad(now) || handshaker.held() >= COOKIES_FROM_STATES
                || d.readableBytes() < handshaker.responseLength()) {
            if (!m.hasCookie()) {
                counters.cookiesSent.inc();
                link.send(SecureLinkHandler.datagram(HandshakeCodec.encode(new HandshakeCodec.Cookie(m.sender(),
                        cookies.cookie(sender, m.ephemeral(), now))), sender));
                return;
            }
            if (!cookies.valid(m.cookie(), sender, m.ephemeral(), now)) {
                counters.count("cookie-invalid", sender);
                return;
            }
        }
        if (!handshaker.respond(sender, m)) {
            counters.count("queue-full", sender);
        }
    }

    /**
     * Whom a handshake rate limit counts against: the source address, the relay that passes it on,
     * or the site a routed handshake names.
     */
    private static Object source(PeerPath path) {
        if (path instanceof PeerPath.Udp u) {
            return u.endpoint().getAddress();
        }
        if (path instanceof PeerPath.Tcp t) {
            return t.endpoint().getAddress();
        }
        if (path instanceof PeerPath.Routed ring) {
            return ring.peer();
        }
        return ((PeerPath.Relay) path).via();
    }

    private boolean underLoad(long now) {
        if (handshaker.queued() >= settings.underLoadQueue()) {
            underLoadUntil = now + UNDER_LOAD_NANOS;
        }
        return now - underLoadUntil < 0;
    }

    void onResponse(PeerPath sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Response m = HandshakeCodec.decodeResponse(body);
        if (!sessions.awaitsAnswer(m.receiver(), sender)) {
            counters.count("handshake-unknown-index", sender);
        } else if (!handshaker.finish(sender, m)) {
            counters.count("queue-full", sender);
        }
    }

    void onFinish(PeerPath sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Finish m = HandshakeCodec.decodeFinish(body);
        if (!sessions.awaitsFinish(m.receiver())) {
            counters.count("handshake-unknown-index", sender);
        } else if (!handshaker.complete(sender, m)) {
            counters.count("queue-full", sender);
        }
    }

    void onCookie(PeerPath sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Cookie m = HandshakeCodec.decodeCookie(body);
        if (!sessions.awaitsAnswer(m.receiver(), sender)) {
            counters.count("handshake-unknown-index", sender);
            return;
        }
        sessions.cookieCame(sender);
        handshaker.resend(m.receiver(), m.cookie());
    }
}
