package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.net.InetSocketAddress;
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
public final class DatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(DatagramDecoder.class);

    private final Map<WireFormat.Reject, Long> rejects = new EnumMap<>(WireFormat.Reject.class);

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        InetSocketAddress sender = packet.sender();
        ByteBuf content = packet.content();
        // With UDP GRO one read may hold a run of datagrams from one peer, back to back: each
        // starts with its envelope, whose length says where the next begins.
        int start = content.readerIndex();
        int end = content.writerIndex();
        do {
            int length = WireFormat.datagramLength(content, start, end - start);
            decodeOne(sender, content.slice(start, length), out);
            start += length;
        } while (start < end);
    }

    private void decodeOne(InetSocketAddress sender, ByteBuf datagram, List<Object> out) {
        int type = WireFormat.decode(datagram);
        if (type < 0) {
            reject(sender, WireFormat.reason(type), null);
            return;
        }
        if (type == WireFormat.TYPE_FRAME) {
            out.add(new InboundFrame(new PeerPath.Udp(sender), datagram.retain()));
            return;
        }
        try {
            RingMessage message = RingMessageCodec.decode(datagram);
            out.add(new InboundMessage(new PeerPath.Udp(sender), message));
        } catch (RingMessageCodec.MalformedException e) {
            reject(sender, WireFormat.Reject.MALFORMED_MESSAGE, e.getMessage());
        }
    }

    private void reject(InetSocketAddress sender, WireFormat.Reject reason, String detail) {
        long count = rejects.merge(reason, 1L, Long::sum);
        if (Long.bitCount(count) == 1) {
            log.warn("rejected a datagram from {}: {}{} ({} so far)", sender, reason,
                    detail == null ? "" : " (" + detail + ")", count);
        }
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
