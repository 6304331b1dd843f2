package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
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

    /** The layer its refusals count under in {@code ringswitch_refused_total}. */
    public static final String LAYER = "underlay";
    /** Each reason's data point, resolved once. */
    private final Map<WireFormat.Reject, CounterDataPoint> rejects = new EnumMap<>(WireFormat.Reject.class);
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
        this(authenticatedOnly, NodeMetrics.inProcess());
    }

    /** A decoder that counts its refusals in the node's {@code metrics}. */
    public DatagramDecoder(boolean authenticatedOnly, NodeMetrics metrics) {
        this.authenticatedOnly = authenticatedOnly;
        for (WireFormat.Reject reason : WireFormat.Reject.values()) {
            rejects.put(reason, refusal(reason).in(metrics));
        }
    }

    /** The counter of datagrams refused for {@code reason}. */
    public static CounterKey refusal(WireFormat.Reject reason) {
        return CounterKey.refused(LAYER, reason.name());
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
        long count = Metrics.incremented(rejects.get(reason));
        if (Long.bitCount(count) == 1) {
            log.warn("rejected a datagram from {}: {}{} ({} so far)", sender, reason,
                    detail == null ? "" : " (" + detail + ")", count);
        }
    }

    /** Datagrams refused so far for {@code reason}. */
    public long rejected(WireFormat.Reject reason) {
        return rejects.get(reason).getLongValue();
    }

    /** Datagrams refused, by reason (every reason listed), from a scrape of the node's registry. */
    public static Map<String, Long> rejects(MetricsSnapshot scrape) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (WireFormat.Reject reason : WireFormat.Reject.values()) {
            out.put(reason.name(), scrape.get(refusal(reason)));
        }
        return out;
    }
}
