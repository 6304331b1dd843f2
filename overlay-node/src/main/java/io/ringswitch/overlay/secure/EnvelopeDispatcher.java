package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.underlay.WireFormat;

/**
 * Turns one inbound datagram's envelope into the helper that takes its type: sealed records to
 * the {@link RecordOpener}, handshake messages and cookies to the {@link HandshakeGate}; a
 * malformed envelope, a clear ring message or frame (nothing unauthenticated goes on), a relay
 * record inside a relay, and an unknown type are counted by reason and dropped. Split out of
 * {@link SecureLinkHandler}, which cuts runs of datagrams apart and seals. On the event loop.
 */
final class EnvelopeDispatcher {
    private final RecordOpener opener;
    private final HandshakeGate handshakes;
    private final SecurityCounters counters;

    EnvelopeDispatcher(RecordOpener opener, HandshakeGate handshakes, SecurityCounters counters) {
        this.opener = opener;
        this.handshakes = handshakes;
        this.counters = counters;
    }

    /** Hands {@code d}, one whole datagram from {@code sender}, to the helper for its type. */
    void dispatch(ChannelHandlerContext ctx, PeerPath sender, ByteBuf d) {
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
                        opener.open(ctx, sender, d, type);
                case WireFormat.TYPE_SEALED_RELAY -> {
                    if (sender instanceof PeerPath.Relay) {
                        counters.count("relay-nested", sender);
                    } else {
                        opener.open(ctx, sender, d, type);
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
}
