package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a datagram into a ring message or a frame from a linked site: the envelope
 * ({@link WireFormat}), then the message ({@link RingMessageCodec}), each checked. A datagram that fails either is counted by reason,
 * logged (the first time and then at powers of two) and dropped; nothing is thrown.
 */
public final class DatagramDecoder extends MessageToMessageDecoder<Object> {
    private static final Logger log = LoggerFactory.getLogger(DatagramDecoder.class);

    private final Map<WireFormat.Reject, Long> rejects = new EnumMap<>(WireFormat.Reject.class);
    private final boolean authenticatedOnly;

    /** A decoder for plaintext links: any datagram may carry ring messages and frames. */
    public DatagramDecoder() {
        this(false);
    }

    /**
     * @param authenticatedOnly take only what the secure link layer opened
     *                          ({@link AuthenticatedDatagram}) and bind link messages to the
     *                          sender its certificate proved
     */
    public DatagramDecoder(boolean authenticatedOnly) {
        this.authenticatedOnly = authenticatedOnly;
    }

    /** UDP datagrams ({@link DatagramPacket}) and datagrams of other paths ({@link PathDatagram}). */
    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof DatagramPacket || msg instanceof PathDatagram;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        PeerPath sender;
        ByteBuf content;
        if (msg instanceof PathDatagram d) {
            sender = d.path();
            content = d.content();
        } else {
            DatagramPacket packet = (DatagramPacket) msg;
            sender = new PeerPath.Udp(packet.sender());
            content = packet.content();
        }
        RingAddress peer = msg instanceof AuthenticatedDatagram a ? a.peer() : null;
        if (authenticatedOnly && peer == null) {
            reject(sender, WireFormat.Reject.UNAUTHENTICATED, null);
            return;
        }
        // With UDP GRO one read may hold a run of datagrams from one peer, back to back: each
        // starts with its envelope, whose length says where the next begins.
        int start = content.readerIndex();
        int end = content.writerIndex();
        do {
            int length = WireFormat.datagramLength(content, start, end - start);
            decodeOne(sender, peer, content.slice(start, length), out);
            start += length;
        } while (start < end);
    }

    private void decodeOne(PeerPath sender, RingAddress peer, ByteBuf datagram, List<Object> out) {
        int type = WireFormat.decode(datagram);
        if (type < 0) {
            reject(sender, WireFormat.reason(type), null);
            return;
        }
        if (type == WireFormat.TYPE_FRAME) {
            out.add(new InboundFrame(sender, datagram.retain(), peer));
            return;
        }
        try {
            RingMessage message = RingMessageCodec.decode(datagram);
            if (peer != null && !travels(message) && !message.from().equals(peer)) {
                reject(sender, WireFormat.Reject.ADDRESS_MISMATCH, message.from() + " is not " + peer);
                return;
            }
            out.add(new InboundMessage(sender, message));
        } catch (RingMessageCodec.MalformedException e) {
            reject(sender, WireFormat.Reject.MALFORMED_MESSAGE, e.getMessage());
        }
    }

    /** Routed and broadcast messages name their source, not the link's sender. */
    private static boolean travels(RingMessage message) {
        return message instanceof RingMessage.Routed || message instanceof RingMessage.Broadcast;
    }

    private void reject(PeerPath sender, WireFormat.Reject reason, String detail) {
        long count = rejects.merge(reason, 1L, Long::sum);
        if (Long.bitCount(count) == 1) {
            log.warn("rejected a datagram from {}: {}{} ({} so far)", sender, reason,
                    detail == null ? "" : " (" + detail + ")", count);
        }
    }

    /** Datagrams refused so far for {@code reason}; read on the channel's loop. */
    public long rejected(WireFormat.Reject reason) {
        return rejects.getOrDefault(reason, 0L);
    }

    /** Datagrams refused so far, by reason (every reason listed); read on the channel's loop. */
    public Map<String, Long> rejects() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (WireFormat.Reject reason : WireFormat.Reject.values()) {
            out.put(reason.name(), rejects.getOrDefault(reason, 0L));
        }
        return out;
    }
}
