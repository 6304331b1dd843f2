package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.noise.XxHandshake;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.underlay.AuthenticatedDatagram;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.PathChanged;
import io.ringswitch.overlay.underlay.PathDatagram;
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
 * The secure link layer as the first handler of the UDP pipeline (after the TCP links, which
 * hand their frames in as datagrams of a TCP path). Sessions are kept by the peer's path: a UDP
 * endpoint ({@code DatagramPacket}), a TCP connection or a relay ({@link PathDatagram}).
 * <ul>
 * <li>Inbound, a datagram is a handshake message (for the {@link HandshakeGate}: a per-source
 *     rate limit and, under load, a cookie check before the {@link Handshaker}) or a sealed
 *     record, opened in place with the session its receiver index names; what opens goes on as an
 *     {@link AuthenticatedDatagram} (a ring message, for the decoder) or an {@link InboundFrame}.
 *     Everything else is counted by reason and dropped: nothing unauthenticated reaches the
 *     decoder, the ring or the frame path.</li>
 * <li>A record that opens and is the newest of its session but comes from another source than
 *     the session's moves the peer's sessions there (roaming: a NAT mapped the peer anew) and
 *     tells the ring ({@link PathChanged}); handshake messages, records that do not open and
 *     replays never move anything.</li>
 * <li>Outbound, a clear ring message or frame is sealed in place with the peer's newest session
 *     ({@link SealedDatagrams}); without one it waits while a handshake runs ({@link SessionTable}).</li>
 * <li>Relays carry only ciphertext. A datagram for {@code Relay(R, B)} is sealed with the session
 *     of that path (whose handshake ran through R the same way), wrapped as a relay datagram
 *     naming B and sealed again with R's session, to R's direct path ({@link Routes}). R opens
 *     its own layer only, checks that it may relay ({@link Routes#mayRelay}), the inner type and
 *     a per-source byte budget, names the sender instead of B and seals it for B. B passes the
 *     inner datagram through this layer again as from {@code Relay(R, A)}. That work is the
 *     {@link RelayForwarder}'s.</li>
 * </ul>
 * The handler itself parses envelopes, opens and seals records and follows roaming peers; the
 * rest is one helper's per job: {@link HandshakeGate} (the handshakes), {@link SessionTable}
 * (sessions, rekeying, keepalives, what waits for a handshake) and {@link RelayForwarder}.
 * Everything but the handshakes' public-key work runs on the channel's event loop.
 */
public final class SecureLinkHandler extends ChannelDuplexHandler {
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

    /**
     * What the layer asks of the ring to relay: where a site's direct link goes, and whether this
     * node relays between two sites. Called on the event loop.
     */
    public interface Routes {
        /** The UDP or TCP path of a direct link to {@code site}; null when there is none. */
        PeerPath directPath(RingAddress site);

        /** Whether this node passes records from {@code from} on to {@code to}. */
        boolean mayRelay(RingAddress from, RingAddress to);
    }

    /**
     * What the layer asks of the ring for its end-to-end paths ({@link PeerPath.Routed}): to carry a
     * whole datagram (a handshake message or a sealed record) to a site as a routed message.
     * Called on the event loop.
     */
    public interface RingCarrier {
        void carry(RingAddress site, byte[] datagram);
    }

    private final LinkCredentials credentials;
    private final HandshakeGate handshakes;
    private final SecurityCounters counters = new SecurityCounters();
    private final SessionTable sessions;
    private final RelayForwarder relays;
    private final RoutedPaths routed;
    /** The last UDP path looked up: the key for a run of datagrams to or from one endpoint, without allocating. */
    private PeerPath.Udp lastUdp;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;

    /**
     * Proves a renewed certificate (same key, same ring address) in the handshakes that start from
     * now on; sessions already up are not torn down, but each peer gets a handshake that proves
     * the new certificate (a few peers each tick) long before the old one ends, which ends the
     * sessions opened with it. Any thread may call it.
     */
    public void renewIdentity(NodeIdentity renewed) {
        credentials.replace(renewed);
    }

    /**
     * The group's revoked members: refused in every handshake from now on (counter
     * {@code revoked}). Any thread; call {@link #closeRevoked} on the loop when it grows.
     */
    public void revocations(io.ringswitch.overlay.security.Revocations revocations) {
        credentials.revocations = revocations;
    }

    /**
     * Closes every session with a member that {@code revocations} holds revoked, at once; on the
     * event loop. Returns how many peers lost their sessions.
     */
    public int closeRevoked(io.ringswitch.overlay.security.Revocations revocations) {
        return sessions.closeRevoked(revocations::revoked);
    }

    /** Peers whose sessions were closed because they were revoked; on the event loop. */
    public long revokedPeersClosed() {
        return counters.revokedPeersClosed;
    }

    /** A layer for this node's identity, with a new Noise static key for this run. */
    public SecureLinkHandler(NodeIdentity identity, Settings settings, SecureRandom random) {
        this(identity, settings, random, System::nanoTime, Instant::now);
    }

    SecureLinkHandler(NodeIdentity identity, Settings settings, SecureRandom random, LongSupplier nanos,
                      Supplier<Instant> wallClock) {
        byte[] staticPrivate = XxHandshake.newPrivateKey(random);
        this.credentials = new LinkCredentials(identity, XxHandshake.publicKey(staticPrivate), settings.records());
        Indexes indexes = new Indexes(random);
        this.sessions = new SessionTable(settings, indexes, counters, nanos, wallClock, credentials::notAfter);
        Callbacks callbacks = new Callbacks();
        this.handshakes = new HandshakeGate(settings, staticPrivate, credentials, indexes, sessions, counters, random,
                nanos, wallClock, callbacks);
        this.relays = new RelayForwarder(callbacks, counters, nanos);
        this.routed = new RoutedPaths(callbacks, counters);
        sessions.actions(callbacks);
    }

    /** What the helpers ask of this layer: to send, to receive again, to run on the loop. */
    private final class Callbacks implements HandshakeGate.Link, SessionTable.Actions, RelayForwarder.Layer,
            RoutedPaths.Layer {
        @Override
        public void onLoop(Runnable work) {
            try {
                ctx.executor().execute(work);
            } catch (RejectedExecutionException e) {
                // The node is closing: the session would go nowhere.
            }
        }

        @Override
        public void send(Object datagram) {
            SecureLinkHandler.this.send(datagram);
        }

        @Override
        public void post(Object datagram) {
            ctx.channel().writeAndFlush(datagram, ctx.channel().voidPromise());
        }

        @Override
        public boolean initiate(PeerPath to, int index, RingAddress expected) {
            return handshakes.initiate(to, index, expected);
        }

        @Override
        public void resend(int index) {
            handshakes.resend(index);
        }

        @Override
        public void keepalive(Session s) {
            send(datagram(SealedDatagrams.keepalive(ctx.alloc(), s.send), s.path));
        }

        @Override
        public void receive(PeerPath from, ByteBuf datagram) {
            SecureLinkHandler.this.receive(from, datagram);
        }

        @Override
        public void write(Object datagram, ChannelPromise promise) {
            SecureLinkHandler.this.write(ctx, datagram, promise);
        }

        @Override
        public ByteBufAllocator alloc() {
            return ctx.alloc();
        }
    }

    /** Where this layer finds relays' direct paths; set once the ring exists, on the event loop. */
    public void routes(Routes routes) {
        relays.routes(routes);
    }

    /**
     * How this layer reaches sites over the ring ({@link PeerPath.Routed}); set once the ring
     * exists, on the event loop. Without it, datagrams for such paths are dropped and counted.
     */
    public void carrier(RingCarrier carrier) {
        routed.carrier(carrier);
    }

    /**
     * A routed message of the secure layer's ({@code PayloadTypes.SEALED}) reached this node: its
     * payload goes through the layer as from {@code Routed(source)}; on the event loop.
     */
    public void fromRing(RingAddress source, byte[] datagram) {
        routed.fromRing(source, datagram);
    }

    /** A datagram for {@code path}: a UDP one, or one the TCP links or the relay code take. */
    static Object datagram(ByteBuf content, PeerPath path) {
        return path instanceof PeerPath.Udp u ? new DatagramPacket(content, u.endpoint()) : new PathDatagram(content, path);
    }

    /** Sends {@code datagram} through this layer's own write (a relay path wraps it) and flushes. */
    private void send(Object datagram) {
        write(ctx, datagram, ctx.voidPromise());
        ctx.flush();
    }

    private PeerPath.Udp udpPath(InetSocketAddress endpoint) {
        PeerPath.Udp last = lastUdp;
        if (last == null || !last.endpoint().equals(endpoint)) {
            last = new PeerPath.Udp(endpoint);
            lastUdp = last;
        }
        return last;
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
        handshakes.close();
        sessions.close();
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        PeerPath path;
        ByteBuf content;
        if (msg instanceof PathDatagram d) {
            path = d.path();
            content = d.content();
        } else if (msg instanceof DatagramPacket packet) {
            path = udpPath(packet.sender());
            content = packet.content();
        } else {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            int start = content.readerIndex();
            int end = content.writerIndex();
            // A GRO read may hold a run of datagrams from one peer, back to back.
            while (start < end) {
                int length = WireFormat.datagramLength(content, start, end - start);
                receive(path, content.slice(start, length));
                start += length;
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void receive(PeerPath sender, ByteBuf d) {
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
                case WireFormat.TYPE_SEALED_RELAY -> {
                    if (sender instanceof PeerPath.Relay) {
                        counters.count("relay-nested", sender);
                    } else {
                        open(sender, d, type);
                    }
                }
                case WireFormat.TYPE_HANDSHAKE_INIT -> handshakes.onInit(sender, d, body);
                case WireFormat.TYPE_HANDSHAKE_RESPONSE -> handshakes.onResponse(sender, body);
                case WireFormat.TYPE_HANDSHAKE_FINISH -> handshakes.onFinish(sender, body);
                case WireFormat.TYPE_COOKIE -> handshakes.onCookie(sender, body);
                case WireFormat.TYPE_RING, WireFormat.TYPE_FRAME, WireFormat.TYPE_RELAY ->
                        counters.count("unauthenticated", sender);
                default -> counters.count("unknown-type", sender);
            }
        } catch (HandshakeCodec.Malformed e) {
            counters.count("handshake-malformed", sender);
        }
    }

    private void open(PeerPath sender, ByteBuf d, int type) {
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
        if (sessions.outlived(s)) {
            // A certificate this session was opened with has ended: what it proved is void, until
            // the tick drops it and a handshake with a valid certificate makes a new one.
            counters.count("record-certificate-ended", sender);
            return;
        }
        if (sender instanceof PeerPath.Relay relay && !relay.peer().equals(s.peer)) {
            // The relay named another sender than the one this session's certificate proved.
            counters.count("relay-origin-mismatch", sender);
            return;
        }
        if ((sender instanceof PeerPath.Routed || s.path instanceof PeerPath.Routed) && !sender.equals(s.path)) {
            // An end-to-end session over the ring stays there: its records neither come from nor
            // roam to another path, and another session's never come over the ring.
            counters.count("routed-path-mismatch", sender);
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
            if (!s.path.equals(sender) && !roam(s, sender)) {
                return;
            }
        }
        sessions.opened(s);
        // Passed up from the session's path, not the datagram's source: a record delayed from
        // a path the peer has left (it opened, but is not the newest) must not move the link back.
        PeerPath from = s.path;
        if (type == WireFormat.TYPE_SEALED_FRAME) {
            // A frame needs no decoding: straight to the frame path, from the certificate's site.
            ctx.fireChannelRead(new InboundFrame(from, SealedDatagrams.plaintext(d), s.peer));
        } else if (type == WireFormat.TYPE_SEALED_RING) {
            ctx.fireChannelRead(new AuthenticatedDatagram(SealedDatagrams.clearView(d, type), from, s.peer));
        } else if (type == WireFormat.TYPE_SEALED_RELAY) {
            relays.relayed(s, d);
        }
    }

    /**
     * The peer of {@code s} sends from {@code to} now (WireGuard's roaming, §2.1 of its paper): its
     * sessions move there, and the ring hears of the new path before the record that showed it, so
     * that the link follows the peer instead of dying. Only the newest record of a session moves
     * it: one delayed from the old endpoint does not move it back. False, and the record is
     * dropped, when {@code to} is another peer's ({@link SessionTable#roam}).
     */
    private boolean roam(Session s, PeerPath to) {
        if (!sessions.roam(s, to)) {
            counters.count("roam-endpoint-taken", to);
            return false;
        }
        ctx.fireUserEventTriggered(new PathChanged(s.peer, to));
        return true;
    }

    // ---- outbound ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        PeerPath path;
        ByteBuf content;
        boolean clear;
        if (msg instanceof PathDatagram d) {
            path = d.path();
            content = d.content();
            clear = SealedDatagrams.isClear(content);
        } else if (msg instanceof DatagramPacket packet) {
            content = packet.content();
            clear = SealedDatagrams.isClear(packet);
            if (!clear) {
                ctx.write(msg, promise);
                return;
            }
            path = udpPath(packet.recipient());
        } else {
            ctx.write(msg, promise);
            return;
        }
        if (clear) {
            Session s = sessions.sendSession(path);
            if (s == null) {
                sessions.await(path, msg);
                promise.trySuccess();
                return;
            }
            boolean sealed = msg instanceof DatagramPacket packet ? SealedDatagrams.seal(s.send, packet)
                    : SealedDatagrams.seal(s.send, content);
            if (!sealed) {
                counters.count("no-room-to-seal", path);
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
                return;
            }
        }
        if (path instanceof PeerPath.Relay relay) {
            relays.viaRelay(relay, msg, content, promise);
        } else if (path instanceof PeerPath.Routed ring) {
            routed.toRing(ring, msg, content, promise);
        } else {
            ctx.write(msg, promise);
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

    /** Records this node passed on as a relay for others; on the event loop. */
    public long relayedRecords() {
        return counters.relayedRecords;
    }

    /** Bytes of the inner datagrams this node passed on as a relay; on the event loop. */
    public long relayedBytes() {
        return counters.relayedBytes;
    }

    /** A refusal count, for tests. */
    long refused(String reason) {
        return counters.refused(reason);
    }

    /** Handshake work waiting for the handshake thread, for tests that pace a flood. */
    int handshakesQueued() {
        return handshakes.queued();
    }
}
