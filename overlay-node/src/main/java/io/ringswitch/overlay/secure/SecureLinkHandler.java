package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.noise.XxHandshake;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.underlay.AuthenticatedDatagram;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.PathChanged;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The secure link layer as the first handler of the UDP pipeline.
 * <ul>
 * <li>Inbound, a datagram is a handshake message (handed to the {@link Handshaker} after the
 *     per-source rate limit and, under load, the cookie check) or a sealed record, opened in place
 *     with the session its receiver index names; what opens goes on as an
 *     {@link AuthenticatedDatagram} (a ring message, for the decoder) or an {@link InboundFrame}. Everything else is counted by reason and dropped: nothing
 *     unauthenticated reaches the decoder, the ring or the frame path.</li>
 * <li>A record that opens and is the newest of its session but comes from another source than
 *     the session's moves the peer's sessions there (roaming: a NAT mapped the peer anew) and
 *     tells the ring ({@link PathChanged}); handshake messages, records that do not open and
 *     replays never move anything.</li>
 * <li>Outbound, a clear ring message or frame is sealed in place with the peer's newest session
 *     ({@link SealedDatagrams}); without one it waits while a handshake runs ({@link SessionTable}).</li>
 * </ul>
 * Everything but the handshakes' public-key work runs on the channel's event loop.
 */
public final class SecureLinkHandler extends ChannelDuplexHandler {
    static final long UNDER_LOAD_NANOS = 1_000_000_000L;
    /** Room a clear datagram needs in front of its envelope and behind its payload to be sealed. */
    public static final int LEAD = SealedDatagrams.LEAD;
    public static final int TAIL = SealedDatagrams.TAIL;

    /**
     * Timers and limits.
     *
     * @param rekeyAfterNanos    a session this old is renewed (WireGuard: 120 s)
     * @param rejectAfterNanos   a session this old is dropped (180 s)
     * @param rekeyAfterRecords  a sending key this used is renewed (AES-GCM: well below 2^24.5)
     * @param underLoadQueue     handshakes waiting that put the node under load (cookies asked)
     * @param cookiesAlways      ask every initiator for a cookie (tests)
     * @param handshakesPerSecond per source address, with bursts of {@code handshakeBurst}
     * @param records            the record cipher this node asks for
     * @param keepaliveNanos     a peer with a confirmed session that was sent nothing this long
     *                           gets a keepalive, so that NATs on the way keep its mapping
     *                           ({@code nat.keepaliveSeconds}, 15 s)
     */
    public record Settings(long rekeyAfterNanos, long rejectAfterNanos, long rekeyAfterRecords, int underLoadQueue,
                           boolean cookiesAlways, double handshakesPerSecond, double handshakeBurst,
                           RecordCipher.Aead records, long keepaliveNanos) {
        public static Settings defaults() {
            return new Settings(120_000_000_000L, 180_000_000_000L, RecordCipher.MAX_RECORDS - (1 << 20),
                    Handshaker.QUEUE / 8, false, 20, 5, RecordCipher.Aead.preferred(), 15_000_000_000L);
        }

        /** The defaults with the keepalive interval of a node's {@code nat} settings. */
        public static Settings of(NodeConfig.Nat nat) {
            Settings d = defaults();
            return nat == null || nat.keepaliveSeconds() == null ? d
                    : d.withKeepalive(TimeUnit.SECONDS.toNanos(nat.keepaliveSeconds()));
        }

        public Settings withRecords(RecordCipher.Aead aead) {
            return new Settings(rekeyAfterNanos, rejectAfterNanos, rekeyAfterRecords, underLoadQueue, cookiesAlways,
                    handshakesPerSecond, handshakeBurst, aead, keepaliveNanos);
        }

        public Settings withKeepalive(long nanos) {
            return new Settings(rekeyAfterNanos, rejectAfterNanos, rekeyAfterRecords, underLoadQueue, cookiesAlways,
                    handshakesPerSecond, handshakeBurst, records, nanos);
        }
    }

    private final Settings settings;
    private final LinkCredentials credentials;
    private final Handshaker handshaker;
    private final CookieJar cookies;
    private final SourceRateLimiter limiter;
    private final SecurityCounters counters = new SecurityCounters();
    private final SessionTable sessions;
    private final LongSupplier nanos;
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
        this.credentials = new LinkCredentials(identity, XxHandshake.publicKey(staticPrivate), settings.records());
        Indexes indexes = new Indexes(random);
        this.cookies = new CookieJar(random, nanos.getAsLong());
        this.limiter = new SourceRateLimiter(settings.handshakesPerSecond(), settings.handshakeBurst());
        this.sessions = new SessionTable(settings, indexes, counters, nanos);
        this.handshaker = new Handshaker(staticPrivate, credentials, indexes, new Handshaker.Results() {
            @Override
            public void established(Handshaker.Established session) {
                onLoop(() -> sessions.established(session));
            }

            @Override
            public void refused(InetSocketAddress from, int localIndex, String peer, String reason, String detail) {
                onLoop(() -> {
                    counters.refuse(from, peer, reason, detail, System.currentTimeMillis());
                    sessions.refused(from, localIndex);
                });
            }

            @Override
            public void send(ByteBuf datagram, InetSocketAddress to) {
                ctx.channel().writeAndFlush(new DatagramPacket(datagram, to), ctx.channel().voidPromise());
            }
        }, random, nanos, wallClock);
        sessions.actions(new SessionTable.Actions() {
            @Override
            public boolean initiate(InetSocketAddress to, int index) {
                return handshaker.initiate(to, index);
            }

            @Override
            public void resend(int index) {
                handshaker.resend(index, null);
            }

            @Override
            public void keepalive(Session s) {
                ctx.writeAndFlush(new DatagramPacket(SealedDatagrams.keepalive(ctx.alloc(), s.send), s.endpoint), ctx.voidPromise());
            }

            @Override
            public void transmit(Object packet) {
                write(ctx, packet, ctx.voidPromise());
                ctx.flush();
            }

            @Override
            public void replay(InetSocketAddress from, ByteBuf record) {
                receive(from, record);
            }
        });
    }

    /** Hands a handshake's result to the event loop; none once the loop has stopped (the node closed). */
    private void onLoop(Runnable work) {
        try {
            ctx.executor().execute(work);
        } catch (RejectedExecutionException e) {
            // The node is closing: the session would go nowhere.
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        timer = ctx.executor().scheduleAtFixedRate(sessions::tick, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        handshaker.close();
        sessions.close();
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
        if (d.readableBytes() < SealedDatagrams.minimum()) {
            counters.count("record-truncated", sender);
            return;
        }
        int index = SealedDatagrams.receiver(d);
        Session s = sessions.byIndex(index);
        if (s == null) {
            if (!sessions.holdEarly(index, d)) {
                counters.count("record-unknown-receiver", sender);
                sessions.unknownSession(sender);
            }
            return;
        }
        // Opened before the source is looked at: a record that opens and passes the replay window
        // came from the holder of the session's keys, wherever from.
        long counter = SealedDatagrams.counter(d);
        RecordCipher.Result result = SealedDatagrams.open(s.receive, d);
        if (result != RecordCipher.Result.OPENED) {
            counters.count("record-" + result.name().toLowerCase().replace('_', '-'), sender);
            return;
        }
        if (counter > s.newestCounter) {
            s.newestCounter = counter;
            if (!s.endpoint.equals(sender) && !roam(s, sender)) {
                return;
            }
        }
        sessions.opened(s);
        // Passed up from the session's endpoint, not the datagram's source: a record delayed from
        // an endpoint the peer has left (it opened, but is not the newest) must not move the link back.
        InetSocketAddress from = s.endpoint;
        if (type == WireFormat.TYPE_SEALED_FRAME) {
            // A frame needs no decoding: straight to the frame path, from the certificate's site.
            ctx.fireChannelRead(new InboundFrame(new PeerPath.Udp(from), SealedDatagrams.plaintext(d), s.peer));
        } else if (type == WireFormat.TYPE_SEALED_RING) {
            ctx.fireChannelRead(new AuthenticatedDatagram(SealedDatagrams.clearView(d, type), from, s.peer));
        }
    }

    /**
     * The peer of {@code s} sends from {@code to} now (WireGuard's roaming, §2.1 of its paper): its
     * sessions move there, and the ring hears of the new path before the record that showed it, so
     * that the link follows the peer instead of dying. Only the newest record of a session moves
     * it: one delayed from the old endpoint does not move it back. False, and the record is
     * dropped, when {@code to} is another peer's ({@link SessionTable#roam}).
     */
    private boolean roam(Session s, InetSocketAddress to) {
        if (!sessions.roam(s, to)) {
            counters.count("roam-endpoint-taken", to);
            return false;
        }
        ctx.fireUserEventTriggered(new PathChanged(s.peer, new PeerPath.Udp(to)));
        return true;
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
        if (!sessions.awaitsAnswer(m.receiver(), sender)) {
            counters.count("handshake-unknown-index", sender);
        } else if (!handshaker.finish(sender, m)) {
            counters.count("queue-full", sender);
        }
    }

    private void onFinish(InetSocketAddress sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Finish m = HandshakeCodec.decodeFinish(body);
        if (!sessions.awaitsFinish(m.receiver())) {
            counters.count("handshake-unknown-index", sender);
        } else if (!handshaker.complete(sender, m)) {
            counters.count("queue-full", sender);
        }
    }

    private void onCookie(InetSocketAddress sender, ByteBuf body) throws HandshakeCodec.Malformed {
        HandshakeCodec.Cookie m = HandshakeCodec.decodeCookie(body);
        if (!sessions.awaitsAnswer(m.receiver(), sender)) {
            counters.count("handshake-unknown-index", sender);
            return;
        }
        sessions.cookieCame(sender);
        handshaker.resend(m.receiver(), m.cookie());
    }

    // ---- outbound ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof DatagramPacket packet) || !SealedDatagrams.isClear(packet)) {
            ctx.write(msg, promise);
            return;
        }
        Session s = sessions.sendSession(packet.recipient());
        if (s == null) {
            sessions.await(packet.recipient(), packet);
            promise.trySuccess();
        } else if (SealedDatagrams.seal(s.send, packet)) {
            ctx.write(packet, promise);
        } else {
            counters.count("no-room-to-seal", packet.recipient());
            packet.release();
            promise.trySuccess();
        }
    }

    // ---- status ----

    /** Peers with a usable session; on the event loop. */
    public int sessions() {
        return sessions.usable();
    }

    /** The status section; {@code more} adds refusals counted elsewhere (the decoder's). On the loop. */
    public NodeStatus.SecurityStats snapshot(Map<String, Long> more) {
        return counters.snapshot(credentials.group(), sessions.usable(), sessions.ciphers(), more);
    }

    /** Keepalives sent to hold NAT mappings open; on the event loop. */
    public long keepalivesSent() {
        return counters.keepalivesSent;
    }

    /** Times a peer's sessions followed it to a new endpoint; on the event loop. */
    public long roamed() {
        return counters.roamed;
    }

    /** A refusal count, for tests. */
    long refused(String reason) {
        return counters.refused(reason);
    }
}
