package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.underlay.WireFormat;

/**
 * The secure layer's end-to-end paths over the ring ({@link PeerPath.Routed}): between two sites
 * with no link of their own, the Noise handshake and the sealed records travel whole, envelope and
 * all, as the payload of routed ring messages ({@code PayloadTypes.SEALED}). The session is the
 * two sites' own; the nodes on the route carry bytes they can neither open nor alter (AEAD), as a
 * relay does ({@link RelayForwarder}), and the ring's hop-by-hop sessions seal them once more.
 * <p>
 * On the way out, a datagram already sealed for {@code Routed(B)} (or a handshake message for it)
 * is handed to the ring as it is. On the way in, a routed payload from {@code A} goes through the
 * layer as from {@code Routed(A)}: the ring's {@code from} names the path only; the handshake
 * proves the certificate ({@link Handshaker} refuses one that is not {@code A}'s) and every record
 * must open on that path's session. Only sealed frames, keepalives and handshake messages may
 * come this way: never ring messages (which have the ring's own paths) nor relay datagrams.
 * Confined to the event loop.
 */
final class RoutedPaths {

    /** What the helper asks of the secure layer: to take a datagram in from a path. */
    interface Layer {
        void receive(PeerPath from, ByteBuf datagram);
    }

    private final Layer layer;
    private final SecurityCounters counters;
    private RingCarrier carrier;

    RoutedPaths(Layer layer, SecurityCounters counters) {
        this.layer = layer;
        this.counters = counters;
    }

    void carrier(RingCarrier carrier) {
        this.carrier = carrier;
    }

    /**
     * Hands {@code content}, sealed for {@code to} (or a handshake message for it), to the ring;
     * takes {@code msg}, the datagram that holds it.
     */
    void toRing(PeerPath.Routed to, Object msg, ByteBuf content, ChannelPromise promise) {
        try {
            int type = WireFormat.type(content, content.readerIndex());
            if (carrier == null) {
                counters.count("routed-no-ring", to);
            } else if (!carried(type)) {
                counters.count("routed-inner-type", to);
            } else {
                byte[] datagram = new byte[content.readableBytes()];
                content.getBytes(content.readerIndex(), datagram);
                carrier.carry(to.peer(), datagram);
            }
        } finally {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }
    }

    /** A routed payload of the secure layer's, from {@code source} as the ring message named it. */
    void fromRing(RingAddress source, byte[] datagram) {
        PeerPath.Routed from = new PeerPath.Routed(source);
        if (datagram.length < WireFormat.HEADER_LENGTH || !carried(datagram[3] & 0xff)) {
            counters.count("routed-inner-type", from);
            return;
        }
        // A direct buffer, as UDP hands in: the frame it opens to is written to the TAP in place.
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(datagram.length).writeBytes(datagram);
        layer.receive(from, direct);
    }

    /** Sealed frames and keepalives and handshake messages: nothing a node on the route could read. */
    static boolean carried(int type) {
        return type == WireFormat.TYPE_SEALED_FRAME || type == WireFormat.TYPE_SEALED_KEEPALIVE
                || (type >= WireFormat.TYPE_HANDSHAKE_INIT && type <= WireFormat.TYPE_COOKIE);
    }
}
