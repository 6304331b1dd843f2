package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.underlay.WireFormat;
import java.util.function.LongSupplier;

/**
 * The secure layer's two-hop relays, which carry only ciphertext. On the way out, a datagram
 * already sealed (or a handshake message) for {@code Relay(R, B)} is wrapped as a relay datagram
 * naming B, for the layer to seal again with R's session and send on R's direct path. At R, a
 * relay datagram that opened on A's session is checked ({@link RelayRoutes#mayRelay},
 * the inner type, a per-source byte budget) and passed on to B naming A. At B, the inner datagram
 * goes through the layer again as from {@code Relay(R, A)}. Kept apart from the handler so that
 * the handler's own path (handshakes, records, roaming) reads without the relay's checks; it owns
 * the relay's state (routes, budget) and asks the handler only to receive, send and write.
 * Confined to the event loop.
 */
final class RelayForwarder {
    /** What one peer may have relayed through this node: 50 MB/s, in bursts of 4 MB. */
    static final double RELAY_BYTES_PER_SECOND = 50e6;
    static final double RELAY_BURST_BYTES = 4e6;

    private static final RelayRoutes NO_ROUTES = new RelayRoutes() {
        @Override
        public PeerPath directPath(RingAddress site) {
            return null;
        }

        @Override
        public boolean mayRelay(RingAddress from, RingAddress to) {
            return false;
        }
    };

    /** What the forwarder asks of the secure layer it serves; all on the event loop. */
    interface Layer {
        /** Takes {@code datagram} in as if it came from {@code from} (the far end of a relay). */
        void receive(PeerPath from, ByteBuf datagram);

        /** Writes {@code datagram} through the layer (sealed for a clear one) and flushes. */
        void send(Object datagram);

        /** Writes {@code datagram} through the layer with {@code promise}, without flushing. */
        void write(Object datagram, ChannelPromise promise);

        ByteBufAllocator alloc();
    }

    private final Layer layer;
    private final SecurityCounters counters;
    private final LongSupplier nanos;
    private final SourceRateLimiter budget = new SourceRateLimiter(RELAY_BYTES_PER_SECOND, RELAY_BURST_BYTES);
    private RelayRoutes routes = NO_ROUTES;

    RelayForwarder(Layer layer, SecurityCounters counters, LongSupplier nanos) {
        this.layer = layer;
        this.counters = counters;
        this.nanos = nanos;
    }

    void routes(RelayRoutes routes) {
        this.routes = routes;
    }

    /**
     * A relay datagram opened on {@code s}'s session. On the leg to a relay (this node relays),
     * it goes on to the far end it names; on the leg from a relay (this node is the far end), its
     * inner datagram goes through the layer again, as from {@code Relay(s's peer, the sender)}.
     * Nothing of the inner datagram goes up this node's pipeline unless it opens here.
     */
    void relayed(Session s, ByteBuf opened) {
        if (!SealedDatagrams.relayWhole(opened)) {
            counters.count("relay-malformed", s.path);
            return;
        }
        RingAddress named = SealedDatagrams.relayAddress(opened);
        ByteBuf inner = SealedDatagrams.relayInner(opened);
        int innerType = WireFormat.type(inner, inner.readerIndex());
        if (!relayable(innerType)) {
            counters.count("relay-inner-type", s.path);
            return;
        }
        if (named.equals(s.peer)) {
            counters.count("relay-malformed", s.path);
            return;
        }
        if (SealedDatagrams.relayLeg(opened) == WireFormat.RELAY_FROM) {
            layer.receive(new PeerPath.Relay(s.peer, named), inner);
        } else {
            pass(s.peer, named, inner);
        }
    }

    /** Only sealed records and handshake messages travel through relays: nothing a relay could read. */
    private static boolean relayable(int type) {
        return type == WireFormat.TYPE_SEALED_RING || type == WireFormat.TYPE_SEALED_FRAME
                || type == WireFormat.TYPE_SEALED_KEEPALIVE
                || (type >= WireFormat.TYPE_HANDSHAKE_INIT && type <= WireFormat.TYPE_COOKIE);
    }

    /** As a relay: passes {@code inner} from {@code from} on to {@code to}, if allowed, naming {@code from}. */
    private void pass(RingAddress from, RingAddress to, ByteBuf inner) {
        PeerPath source = new PeerPath.Relay(from, to);
        if (!routes.mayRelay(from, to)) {
            counters.count("relay-not-allowed", source);
            return;
        }
        PeerPath next = routes.directPath(to);
        if (!(next instanceof PeerPath.Udp || next instanceof PeerPath.Tcp)) {
            counters.count("relay-no-path", source);
            return;
        }
        int bytes = inner.readableBytes();
        if (!SealedDatagrams.relayFits(bytes)) {
            counters.count("relay-oversized", source);
            return;
        }
        if (!budget.allow(from, bytes, nanos.getAsLong())) {
            counters.count("relay-over-budget", source);
            return;
        }
        counters.relayedRecords.inc();
        counters.relayedBytes.inc(bytes);
        layer.send(SecureLinkHandler.datagram(SealedDatagrams.relay(layer.alloc(), WireFormat.RELAY_FROM, from, inner),
                next));
    }

    /**
     * Wraps {@code inner}, a sealed record or handshake message for {@code relay}'s far end, into a
     * relay datagram naming it, which the layer seals again for the relay and sends on the relay's
     * direct path. Takes {@code msg}, the datagram that holds {@code inner}.
     */
    void viaRelay(PeerPath.Relay relay, Object msg, ByteBuf inner, ChannelPromise promise) {
        try {
            PeerPath next = routes.directPath(relay.via());
            if (!(next instanceof PeerPath.Udp || next instanceof PeerPath.Tcp)) {
                counters.count("relay-no-path", relay);
                promise.trySuccess();
            } else if (!SealedDatagrams.relayFits(inner.readableBytes())) {
                counters.count("relay-oversized", relay);
                promise.trySuccess();
            } else {
                layer.write(SecureLinkHandler.datagram(
                        SealedDatagrams.relay(layer.alloc(), WireFormat.RELAY_TO, relay.peer(), inner), next), promise);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
