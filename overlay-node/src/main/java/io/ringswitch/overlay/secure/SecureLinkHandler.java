package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.security.noise.XxHandshake;
import io.ringswitch.overlay.underlay.AuthenticatedDatagram;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The secure link layer as the first handler of the UDP pipeline.
 * <ul>
 * <li>Inbound, a datagram is a handshake message (handed to the {@link Handshaker} after the
 *     per-source rate limit and, under load, the cookie check) or a sealed record, opened in place
 *     with the session its receiver index names; what opens goes on as an
 *     {@link AuthenticatedDatagram}. Everything else is counted by reason and dropped: nothing
 *     unauthenticated reaches the decoder, the ring or the frame path.</li>
 * <li>Outbound, a clear ring message or frame (envelope type 1 or 2, with room in front for the
 *     record header and behind for the tag) is sealed in place with the peer's newest session; a
 *     run of GSO segments is sealed segment by segment, each in its own slot. Without a session
 *     the datagram waits (a few per peer) while a handshake runs.</li>
 * <li>Sessions are renewed after {@link Settings#rekeyAfterNanos} or
 *     {@link Settings#rekeyAfterRecords}; the previous one is still accepted until it expires.</li>
 * </ul>
 * Everything but the handshakes' public-key work runs on the channel's event loop.
 */
public final class SecureLinkHandler extends ChannelDuplexHandler {
    static final long RETRY_NANOS = 1_000_000_000L;
    static final int ATTEMPTS = 5;
    static final long CONFIRM_NANOS = 5_000_000_000L;
    static final long UNDER_LOAD_NANOS = 1_000_000_000L;
    static final int QUEUE_PER_PEER = 64;
    static final int SESSIONS_PER_PEER = 3;
    /** Room a clear datagram needs in front of its envelope and behind its payload to be sealed. */
    public static final int LEAD = WireFormat.RECORD_HEADER;
    public static final int TAIL = WireFormat.RECORD_TAG;

    /**
     * Timers and limits.
     *
     * @param rekeyAfterNanos    a session this old is renewed (WireGuard: 120 s)
     * @param rejectAfterNanos   a session this old is dropped (180 s)
     * @param rekeyAfterRecords  a sending key this used is renewed (AES-GCM: well below 2^24.5)
     * @param underLoadQueue     handshakes waiting that put the node under load (cookies asked)
     * @param cookiesAlways      ask every initiator for a cookie (tests)
     * @param handshakesPerSecond per source address, with bursts of {@code handshakeBurst}
     */
    public record Settings(long rekeyAfterNanos, long rejectAfterNanos, long rekeyAfterRecords, int underLoadQueue,
                           boolean cookiesAlways, double handshakesPerSecond, double handshakeBurst) {
        public static Settings defaults() {
            return new Settings(120_000_000_000L, 180_000_000_000L, RecordCipher.MAX_RECORDS - (1 << 20),
                    Handshaker.QUEUE / 8, false, 20, 5);
        }
    }

    /** Records held for a session about to be made, with when the first came. */
    private record Early(long since, List<ByteBuf> records) {
    }

    static final int EARLY_PER_SESSION = 32;
    static final long EARLY_NANOS = 2_000_000_000L;

    private static final class Peer {
        final Deque<Session> sessions = new ArrayDeque<>();
        final Deque<Object> queue = new ArrayDeque<>();
        int pendingIndex;
        long pendingSince;
        long lastAttempt;
        int attempts;
        boolean pendingRenewal;
        long lastUnknown;
    }

    private final Settings settings;
    private final LinkCredentials credentials;
    private final Indexes indexes;
    private final Handshaker handshaker;
    private final CookieJar cookies;
    private final SourceRateLimiter limiter;
    private final SecurityCounters counters = new SecurityCounters();
    private final LongSupplier nanos;
    private final Map<InetSocketAddress, Peer> peers = new HashMap<>();
    private final Map<Integer, Session> byIndex = new HashMap<>();
    private final Map<Integer, InetSocketAddress> initiations = new HashMap<>();
    /** Records that came for a session whose handshake the handshake thread is still finishing. */
    private final Map<Integer, Early> early = new HashMap<>();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long underLoadUntil;

    /** A layer for this node's identity, with a new Noise static key for this run. */
    public SecureLinkHandler(NodeIdentity identity, Settings settings, SecureRandom random) {
        this(identity, settings, random, System::nanoTime, Instant::now);
    }

    SecureLinkHandler(NodeIdentity identity, Settings settings, SecureRandom random, LongSupplier nanos,
                      Supplier<Instant> wallClock) {
        this.settings = settings;
        this.nanos = nanos;
        byte[] staticPrivate = XxHandshake.newPrivateKey(random);
        this.credentials = new LinkCredentials(identity, XxHandshake.publicKey(staticPrivate));
        this.indexes = new Indexes(random);
        this.cookies = new CookieJar(random, nanos.getAsLong());
        this.limiter = new SourceRateLimiter(settings.handshakesPerSecond(), settings.handshakeBurst());
        this.handshaker = new Handshaker(staticPrivate, credentials, indexes, new Handshaker.Results() {
            @Override
            public void established(Handshaker.Established session) {
                ctx.executor().execute(() -> onEstablished(session));
            }

            @Override
            public void refused(InetSocketAddress from, int localIndex, String peer, String reason, String detail) {
                ctx.executor().execute(() -> onRefused(from, localIndex, peer, reason, detail));
            }

            @Override
            public void send(ByteBuf datagram, InetSocketAddress to) {
                ctx.channel().writeAndFlush(new DatagramPacket(datagram, to), ctx.channel().voidPromise());
            }
        }, random, nanos, wallClock);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        timer = ctx.executor().scheduleAtFixedRate(this::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        handshaker.close();
        early.values().forEach(held -> held.records().forEach(ByteBuf::release));
        early.clear();
        for (Peer p : peers.values()) {
            p.queue.forEach(ReferenceCountUtil::release);
            p.queue.clear();
        }
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            ByteBuf content = packet.content();
            int start = content.readerIndex();
            int end = content.writerIndex();
            // A GRO read may hold a run of datagrams from one peer, back to back.
            while (start < end) {
                int length = WireFormat.datagramLength(content, start, end - start);
                receive(packet.sender(), content.slice(start, length));
                start += length;
            }
        } finally {
            packet.release();
        }
    }

    private void receive(InetSocketAddress sender, ByteBuf d) {
        int size = d.readableBytes();
        if (size < WireFormat.HEADER_LENGTH || d.getUnsignedShort(0) != WireFormat.MAGIC
                || d.getUnsignedByte(2) != WireFormat.VERSION || d.getUnsignedShort(4) != size - WireFormat.HEADER_LENGTH
                || size - WireFormat.HEADER_LENGTH > WireFormat.MAX_PAYLOAD) {
            counters.count("malformed", sender);
            return;
        }
        int type = d.getUnsignedByte(3);
        ByteBuf body = d.slice(WireFormat.HEADER_LENGTH, size - WireFormat.HEADER_LENGTH);
        try {
            switch (type) {
                case WireFormat.TYPE_SEALED_RING, WireFormat.TYPE_SEALED_FRAME, WireFormat.TYPE_SEALED_KEEPALIVE ->
                        open(sender, d, type);
                case WireFormat.TYPE_HANDSHAKE_INIT -> onInit(sender, d, body);
                case WireFormat.TYPE_HANDSHAKE_RESPONSE -> onResponse(sender, body);
                case WireFormat.TYPE_HANDSHAKE_FINISH -> onFinish(sender, body);
                case WireFormat.TYPE_COOKIE -> onCookie(sender, body);
                case WireFormat.TYPE_RING, WireFormat.TYPE_FRAME -> counters.count("unauthenticated", sender);
                default -> counters.count("unknown-type", sender);
            }
        } catch (HandshakeCodec.Malformed e) {
            counters.count("handshake-malformed", sender);
        }
    }

    private void open(InetSocketAddress sender, ByteBuf d, int type) {
        if (d.readableBytes() < WireFormat.HEADER_LENGTH + RecordCipher.HEADER + RecordCipher.TAG) {
            counters.count("record-truncated", sender);
            return;
        }
        long now = nanos.getAsLong();
        int index = d.getInt(WireFormat.HEADER_LENGTH);
        Session s = byIndex.get(index);
        if (s == null && indexes.inUse(index) && !initiations.containsKey(index)) {
            // The initiator sends right after its last message; the session it names is being
            // made on the handshake thread. Hold the record until then (briefly, a few).
            Early held = early.computeIfAbsent(index, k -> new Early(now, new ArrayList<>()));
            if (held.records().size() < EARLY_PER_SESSION && early.size() <= Handshaker.QUEUE) {
                held.records().add(d.retainedSlice());
            } else {
                counters.count("record-unknown-receiver", sender);
            }
            return;
        }
        if (s == null || !s.endpoint.equals(sender)) {
            counters.count("record-unknown-receiver", sender);
            unknownSession(sender, now);
            return;
        }
        RecordCipher.Result result = s.receive.open(d, 0, WireFormat.HEADER_LENGTH);
        if (result != RecordCipher.Result.OPENED) {
            counters.count("record-" + result.name().toLowerCase().replace('_', '-'), sender);
            return;
        }
        if (!s.confirmed) {
            s.confirmed = true;
            if (!s.initiator) {
                keepalive(s);
            }
            flush(peers.get(sender), now);
        }
        if (type == WireFormat.TYPE_SEALED_KEEPALIVE) {
            return;
        }
        int plain = WireFormat.HEADER_LENGTH + RecordCipher.HEADER;
        int length = d.writerIndex() - plain;
        int clear = plain - WireFormat.HEADER_LENGTH;
        WireFormat.setHeader(d, clear, type == WireFormat.TYPE_SEALED_RING ? WireFormat.TYPE_RING : WireFormat.TYPE_FRAME,
                length);
        ctx.fireChannelRead(new AuthenticatedDatagram(d.retainedSlice(clear, WireFormat.HEADER_LENGTH + length), sender, s.peer));
    }

    /**
     * Records for a session this node does not know from an endpoint it had sessions with (the
     * peer restarted, or kept an old session): start a new handshake, at most once per five
     * seconds, so that both sides move to fresh keys without waiting for the ring to notice.
     * Never for strangers: a forged record from a spoofed source must not make this node send a
     * handshake to a third party.
     */
    private void unknownSession(InetSocketAddress sender, long now) {
        Peer p = peers.get(sender);
        if (p == null || p.pendingIndex != 0 || now - p.lastUnknown < 5 * RETRY_NANOS) {
            return;
        }
        p.lastUnknown = now;
        initiate(sender, p, now, false);
    }

    private void onInit(InetSocketAddress sender, ByteBuf d, ByteBuf body) throws HandshakeCodec.Malformed {
        long now = nanos.getAsLong();
        if (!limiter.allow(sender.getAddress(), now)) {
            counters.count("rate-limited", sender);
            return;
        }
        HandshakeCodec.Init m = HandshakeCodec.decodeInit(body);
        // A cookie first when under load, or when answering would send more than came in.
        if (settings.cookiesAlways() || underLoad(now) || d.readableBytes() < handshaker.responseLength()) {
            if (!m.hasCookie()) {
                counters.cookiesSent++;
                ctx.writeAndFlush(new DatagramPacket(HandshakeCodec.encode(new HandshakeCodec.Cookie(m.sender(),
                        cookies.cookie(sender, m.ephemeral(), now))), sender), ctx.voidPromise());
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

    private boolean underLoad(long now) {
        if (handshaker.queued() >= settings.underLoadQueue()) {
            underLoadUntil = now + UNDER_LOAD_NANOS;
        }
        return now - underLoadUntil < 0;
    }

    private void onResponse(InetSocketAddress sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Response m = HandshakeCodec.decodeResponse(body);
        if (!sender.equals(initiations.get(m.receiver()))) {
            counters.count("handshake-unknown-index", sender);
            return;
        }
        if (!handshaker.finish(sender, m)) {
            counters.count("queue-full", sender);
        }
    }

    private void onFinish(InetSocketAddress sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Finish m = HandshakeCodec.decodeFinish(body);
        if (!indexes.inUse(m.receiver()) || byIndex.containsKey(m.receiver()) || initiations.containsKey(m.receiver())) {
            counters.count("handshake-unknown-index", sender);
            return;
        }
        if (!handshaker.complete(sender, m)) {
            counters.count("queue-full", sender);
        }
    }

    private void onCookie(InetSocketAddress sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Cookie m = HandshakeCodec.decodeCookie(body);
        if (!sender.equals(initiations.get(m.receiver()))) {
            counters.count("handshake-unknown-index", sender);
            return;
        }
        Peer p = peers.get(sender);
        if (p != null) {
            p.lastAttempt = nanos.getAsLong();
        }
        handshaker.resend(m.receiver(), m.cookie());
    }

    // ---- handshake results (on the loop) ----

    private void onEstablished(Handshaker.Established e) {
        long now = nanos.getAsLong();
        Peer p = peers.computeIfAbsent(e.endpoint(), k -> new Peer());
        boolean renewal = !p.sessions.isEmpty();
        Session s = new Session(e.endpoint(), e.peer().address(), e.peer().name(),
                new RecordCipher(e.keys().send(), e.remoteIndex()), new RecordCipher(e.keys().receive(), e.localIndex()),
                e.localIndex(), e.initiator(), now, renewal);
        p.sessions.addFirst(s);
        byIndex.put(e.localIndex(), s);
        while (p.sessions.size() > SESSIONS_PER_PEER) {
            drop(p.sessions.removeLast());
        }
        counters.handshakes++;
        Early held = early.remove(e.localIndex());
        if (held != null) {
            for (ByteBuf record : held.records()) {
                try {
                    receive(e.endpoint(), record);
                } finally {
                    record.release();
                }
            }
        }
        if (e.initiator()) {
            if (p.pendingIndex == e.localIndex()) {
                if (p.pendingRenewal) {
                    counters.rekeys++;
                }
                clearPending(p, false);
            }
            initiations.remove(e.localIndex());
            keepalive(s);
            flush(p, now);
        }
    }

    private void onRefused(InetSocketAddress from, int localIndex, String peer, String reason, String detail) {
        counters.refuse(from, peer, reason, detail, System.currentTimeMillis());
        Peer p = from == null ? null : peers.get(from);
        if (p != null && localIndex != 0 && p.pendingIndex == localIndex) {
            // The peer failed our checks: no point repeating the same handshake.
            dropQueue(p, "handshake-refused-queue");
            clearPending(p, true);
        }
    }

    // ---- outbound ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet) || !clear(packet)) {
            ctx.write(msg, promise);
            return;
        }
        long now = nanos.getAsLong();
        Peer p = peers.get(packet.recipient());
        Session s = p == null ? null : sendSession(p, packet.recipient(), now);
        if (s == null) {
            if (p == null) {
                p = new Peer();
                peers.put(packet.recipient(), p);
            }
            enqueue(p, packet);
            if (p.pendingIndex == 0) {
                initiate(packet.recipient(), p, now, false);
            }
            promise.trySuccess();
            return;
        }
        if (!seal(s, packet)) {
            counters.count("no-room-to-seal", packet.recipient());
            packet.release();
            promise.trySuccess();
            return;
        }
        s.lastSent = now;
        ctx.write(packet, promise);
    }

    /** A clear ring message or frame (not a handshake message or a record already sealed). */
    private static boolean clear(DatagramPacket packet) {
        ByteBuf c = packet.content();
        int at = c.readerIndex();
        if (packet instanceof SegmentedDatagramPacket) {
            at += LEAD;
        }
        if (c.writerIndex() - at < WireFormat.HEADER_LENGTH) {
            return false;
        }
        int type = c.getUnsignedByte(at + 3);
        return type == WireFormat.TYPE_RING || type == WireFormat.TYPE_FRAME;
    }

    /**
     * Seals in place. A single datagram has {@link #LEAD} bytes free in front of its envelope and
     * {@link #TAIL} behind; a GSO run is slots of {@code segmentSize} bytes, each
     * {@code [LEAD free][envelope][payload][TAIL free]}, and each slot becomes one record.
     */
    private boolean seal(Session s, DatagramPacket packet) {
        ByteBuf c = packet.content();
        if (packet instanceof SegmentedDatagramPacket run) {
            int size = run.segmentSize();
            for (int slot = c.readerIndex(); slot < c.writerIndex(); slot += size) {
                int length = c.getUnsignedShort(slot + LEAD + 4);
                ByteBuf d = c.duplicate().setIndex(slot, slot + LEAD + WireFormat.HEADER_LENGTH + length);
                sealAt(s, d, slot, c.getUnsignedByte(slot + LEAD + 3), length);
            }
            return true;
        }
        int at = c.readerIndex();
        if (at < LEAD || c.maxCapacity() - c.writerIndex() < TAIL) {
            return false;
        }
        sealAt(s, c, at - LEAD, c.getUnsignedByte(at + 3), c.getUnsignedShort(at + 4));
        c.readerIndex(at - LEAD);
        return true;
    }

    private static void sealAt(Session s, ByteBuf buf, int envelope, int clearType, int length) {
        int type = clearType == WireFormat.TYPE_RING ? WireFormat.TYPE_SEALED_RING : WireFormat.TYPE_SEALED_FRAME;
        WireFormat.setHeader(buf, envelope, type, RecordCipher.HEADER + length + RecordCipher.TAG);
        s.send.seal(buf, envelope, envelope + WireFormat.HEADER_LENGTH);
    }

    private Session sendSession(Peer p, InetSocketAddress to, long now) {
        for (Session s : p.sessions) {
            if (!s.usable(now, settings.rejectAfterNanos())) {
                continue;
            }
            long renewAt = settings.rekeyAfterNanos() + (s.initiator ? 0 : 10_000_000_000L);
            if (p.pendingIndex == 0 && s == p.sessions.peekFirst()
                    && (now - s.created >= renewAt || s.send.sealed() >= settings.rekeyAfterRecords())) {
                initiate(to, p, now, true);
            }
            return s;
        }
        return null;
    }

    private void keepalive(Session s) {
        ByteBuf b = ctx.alloc().directBuffer(WireFormat.HEADER_LENGTH + RecordCipher.HEADER + RecordCipher.TAG);
        b.writerIndex(WireFormat.HEADER_LENGTH + RecordCipher.HEADER);
        WireFormat.setHeader(b, 0, WireFormat.TYPE_SEALED_KEEPALIVE, RecordCipher.HEADER + RecordCipher.TAG);
        s.send.seal(b, 0, WireFormat.HEADER_LENGTH);
        s.lastSent = nanos.getAsLong();
        ctx.writeAndFlush(new DatagramPacket(b, s.endpoint), ctx.voidPromise());
    }

    private void enqueue(Peer p, DatagramPacket packet) {
        if (p.queue.size() >= QUEUE_PER_PEER) {
            ReferenceCountUtil.release(p.queue.removeFirst());
            counters.count("queue-overflow", packet.recipient());
        }
        p.queue.addLast(packet);
    }

    private void flush(Peer p, long now) {
        if (p == null || p.queue.isEmpty()) {
            return;
        }
        List<Object> waiting = new ArrayList<>(p.queue);
        p.queue.clear();
        for (Object o : waiting) {
            write(ctx, o, ctx.voidPromise());
        }
        ctx.flush();
    }

    private void initiate(InetSocketAddress to, Peer p, long now, boolean renewal) {
        int local = indexes.allocate();
        p.pendingIndex = local;
        p.pendingSince = now;
        p.lastAttempt = now;
        p.attempts = 1;
        p.pendingRenewal = renewal;
        initiations.put(local, to);
        if (!handshaker.initiate(to, local)) {
            counters.count("queue-full", to);
            clearPending(p, true);
        }
    }

    private void clearPending(Peer p, boolean release) {
        if (p.pendingIndex != 0) {
            initiations.remove(p.pendingIndex);
            if (release) {
                indexes.release(p.pendingIndex);
            }
        }
        p.pendingIndex = 0;
    }

    private void drop(Session s) {
        byIndex.remove(s.localIndex);
        indexes.release(s.localIndex);
    }

    private void dropQueue(Peer p, String reason) {
        for (Object o : p.queue) {
            ReferenceCountUtil.release(o);
        }
        if (!p.queue.isEmpty()) {
            counters.count(reason, null);
        }
        p.queue.clear();
    }

    // ---- timers ----

    private void tick() {
        long now = nanos.getAsLong();
        for (Iterator<Early> it = early.values().iterator(); it.hasNext(); ) {
            Early held = it.next();
            if (now - held.since() >= EARLY_NANOS) {
                held.records().forEach(ByteBuf::release);
                counters.count("record-unknown-receiver", null);
                it.remove();
            }
        }
        for (Iterator<Map.Entry<InetSocketAddress, Peer>> it = peers.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetSocketAddress, Peer> e = it.next();
            Peer p = e.getValue();
            if (p.pendingIndex != 0 && now - p.lastAttempt >= RETRY_NANOS << Math.min(p.attempts - 1, 2)) {
                if (p.attempts >= ATTEMPTS) {
                    counters.count("handshake-timeout", e.getKey());
                    dropQueue(p, "handshake-timeout-queue");
                    clearPending(p, true);
                } else {
                    p.attempts++;
                    p.lastAttempt = now;
                    handshaker.resend(p.pendingIndex, null);
                }
            }
            for (Iterator<Session> si = p.sessions.iterator(); si.hasNext(); ) {
                Session s = si.next();
                boolean expired = now - s.created >= settings.rejectAfterNanos();
                boolean unconfirmed = s.initiator && !s.confirmed && now - s.created >= CONFIRM_NANOS;
                if (expired || unconfirmed) {
                    if (unconfirmed) {
                        counters.count("handshake-unconfirmed", s.endpoint);
                    }
                    drop(s);
                    si.remove();
                }
            }
            if (p.sessions.isEmpty() && p.pendingIndex == 0 && p.queue.isEmpty()) {
                it.remove();
            }
        }
    }

    // ---- status ----

    /** Peers with a usable session; on the event loop. */
    public int sessions() {
        long now = nanos.getAsLong();
        int n = 0;
        for (Peer p : peers.values()) {
            for (Session s : p.sessions) {
                if (s.usable(now, settings.rejectAfterNanos())) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** The status section; {@code more} adds refusals counted elsewhere (the decoder's). On the loop. */
    public NodeStatus.SecurityStats snapshot(Map<String, Long> more) {
        return counters.snapshot(credentials.group(), sessions(), more);
    }

    /** A refusal count, for tests. */
    long refused(String reason) {
        return counters.refused(reason);
    }
}
