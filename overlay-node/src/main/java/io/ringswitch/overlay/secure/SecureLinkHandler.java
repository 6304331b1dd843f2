package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.noise.XxHandshake;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
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
 *     naming B and sealed again with R's session, to R's direct path ({@link RelayRoutes}). R opens
 *     its own layer only, checks that it may relay ({@link RelayRoutes#mayRelay}), the inner type and
 *     a per-source byte budget, names the sender instead of B and seals it for B. B passes the
 *     inner datagram through this layer again as from {@code Relay(R, A)}. That work is the
 *     {@link RelayForwarder}'s.</li>
 * </ul>
 * The handler itself cuts runs of datagrams apart and seals records; the rest is one helper's per
 * job: {@link EnvelopeDispatcher} (an envelope to the helper for its type), {@link RecordOpener}
 * (opening records, following roaming peers), {@link HandshakeGate} (the
 * handshakes), {@link SessionTable} (sessions, what waits for a handshake) with
 * {@link SessionUpkeep} (rekeying, keepalives, expiry) and {@link RelayForwarder}.
 * Everything but the handshakes' public-key work runs on the channel's event loop.
 */
public final class SecureLinkHandler extends ChannelDuplexHandler {
    /** Room a clear datagram needs in front of its envelope and behind its payload to be sealed. */
    public static final int LEAD = SealedDatagrams.LEAD;
    public static final int TAIL = SealedDatagrams.TAIL;

    private final LinkCredentials credentials;
    private final HandshakeGate handshakes;
    private final NodeMetrics metrics;
    private final SecurityCounters counters;
    private final SessionTable sessions;
    private final RelayForwarder relays;
    private final EnvelopeDispatcher dispatcher;
    private final RoutedPaths routed;
    /** The last UDP path looked up: the key for a run of datagrams to or from one endpoint, without allocating. */
    private PeerPath.Udp lastUdp;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    /** Upkeep ticks run so far, for tests that move the clocks and wait for the next tick to see it. */
    private long ticks;

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
        return counters.revokedPeersClosed.getLongValue();
    }

    /** A layer for this node's identity, with a new Noise static key for this run. */
    public SecureLinkHandler(NodeIdentity identity, SessionSettings settings, SecureRandom random) {
        this(identity, settings, random, NodeMetrics.inProcess());
    }

    /** A layer that counts in the node's {@code metrics}. */
    public SecureLinkHandler(NodeIdentity identity, SessionSettings settings, SecureRandom random, NodeMetrics metrics) {
        this(identity, settings, random, System::nanoTime, Instant::now, metrics);
    }

    SecureLinkHandler(NodeIdentity identity, SessionSettings settings, SecureRandom random, LongSupplier nanos,
                      Supplier<Instant> wallClock) {
        this(identity, settings, random, nanos, wallClock, NodeMetrics.inProcess());
    }

    SecureLinkHandler(NodeIdentity identity, SessionSettings settings, SecureRandom random, LongSupplier nanos,
                      Supplier<Instant> wallClock, NodeMetrics metrics) {
        this.metrics = metrics;
        this.counters = new SecurityCounters(metrics);
        byte[] staticPrivate = XxHandshake.newPrivateKey(random);
        this.credentials = new LinkCredentials(identity, XxHandshake.publicKey(staticPrivate), settings.records());
        Indexes indexes = new Indexes(random);
        this.sessions = new SessionTable(settings, indexes, counters, nanos, wallClock, credentials::notAfter);
        LayerCallbacks callbacks = new LayerCallbacks(this);
        this.handshakes = new HandshakeGate(settings, staticPrivate, credentials, indexes, sessions, counters, random,
                nanos, wallClock, callbacks);
        this.relays = new RelayForwarder(callbacks, counters, nanos);
        this.dispatcher = new EnvelopeDispatcher(new RecordOpener(sessions, counters, relays), handshakes, counters);
        this.routed = new RoutedPaths(callbacks, counters);
        sessions.actions(callbacks);
    }

    /**
     * Ties this layer to {@code ring} once it exists: relays' direct paths and whom this node
     * relays for come from its links, and end-to-end datagrams travel as routed
     * {@link PayloadTypes#SEALED} messages. On the event loop, before the ring starts.
     */
    public void joinRing(RingNode ring) {
        routes(RelayRoutes.of(ring));
        carrier((site, datagram) -> ring.send(site, RoutingMode.EXACT, PayloadTypes.SEALED, datagram, false));
    }

    /** Where this layer finds relays' direct paths; set once the ring exists, on the event loop. */
    public void routes(RelayRoutes routes) {
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

    /** The pipeline context this layer sits in; set when it is added to the pipeline. */
    ChannelHandlerContext context() {
        return ctx;
    }

    HandshakeGate handshakes() {
        return handshakes;
    }

    /** Sends {@code datagram} through this layer's own write (a relay path wraps it) and flushes. */
    void send(Object datagram) {
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
        timer = ctx.executor().scheduleAtFixedRate(() -> {
            sessions.tick();
            ticks++;
        }, 250, 250, TimeUnit.MILLISECONDS);
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

    /** One whole datagram from {@code sender}, for the helper its type names ({@link EnvelopeDispatcher}). */
    void receive(PeerPath sender, ByteBuf d) {
        dispatcher.dispatch(ctx, sender, d);
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

    /** Keys of the counters the NAT section of the status reads. */
    public static final CounterKey KEEPALIVES_SENT = SecurityCounters.KEEPALIVES_SENT;
    public static final CounterKey ROAMED = SecurityCounters.ROAMED;
    public static final CounterKey RELAYED_RECORDS = SecurityCounters.RELAYED_RECORDS;
    /** Peers whose sessions closed because they were revoked (the revocations section of the status). */
    public static final CounterKey REVOKED_PEERS_CLOSED = SecurityCounters.REVOKED_PEERS_CLOSED;

    /**
     * The ring address of a peer this node holds a session with whose certificate is {@code name}'s
     * (a site name, as the certificate names it); null when none has. On the event loop.
     */
    public RingAddress peerNamed(String name) {
        return sessions.census().peerNamed(name);
    }

    /** Peers with a usable session; on the event loop. */
    public int sessions() {
        return sessions.census().usable();
    }

    /**
     * The status section from a scrape of the node's registry; {@code more} adds refusals counted
     * elsewhere (the decoder's, TCP links', the ring's) under the status's names for them. On the loop.
     */
    public NodeStatus.SecurityStats snapshot(MetricsSnapshot scrape, Map<String, CounterKey> more) {
        return counters.snapshot(scrape, credentials.group(), sessions.census().usable(), sessions.census().ciphers(), more);
    }

    /** The status section with this layer's own refusals only, from a scrape of the registry it counts in. On the loop. */
    public NodeStatus.SecurityStats snapshot() {
        return snapshot(MetricsSnapshot.of(metrics), Map.of());
    }

    /** Keepalives sent to hold NAT mappings open; on the event loop. */
    public long keepalivesSent() {
        return counters.keepalivesSent.getLongValue();
    }

    /** Times a peer's sessions followed it to a new endpoint; on the event loop. */
    public long roamed() {
        return counters.roamed.getLongValue();
    }

    /** Records this node passed on as a relay for others; on the event loop, for tests. */
    long relayedRecords() {
        return counters.relayedRecords.getLongValue();
    }

    /** Bytes of the inner datagrams this node passed on as a relay; on the event loop, for tests. */
    long relayedBytes() {
        return counters.relayedBytes.getLongValue();
    }

    /** A refusal count, for tests. */
    long refused(String reason) {
        return counters.refused(reason);
    }

    /**
     * Handshakes this node started that have neither been established nor given up, for tests that
     * wait until every handshake under way has ended instead of sleeping.
     */
    int handshakesUnderway() {
        return sessions.initiating();
    }

    /** Upkeep ticks (retries, renewals, keepalives, expiry) run so far; read on the event loop, for tests. */
    long ticks() {
        return ticks;
    }

    /** Handshake work waiting for the handshake thread, for tests that pace a flood. */
    int handshakesQueued() {
        return handshakes.queued();
    }

    /** Runs {@code then} on the handshake thread after the work handed to it so far; false when full. For tests. */
    boolean afterHandshakes(Runnable then) {
        return handshakes.afterQueued(then);
    }
}
