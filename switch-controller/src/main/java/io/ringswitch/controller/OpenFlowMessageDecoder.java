package io.ringswitch.controller;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the byte stream of an OpenFlow channel into {@link OFMessage}s.
 *
 * <p>Every message starts with the 8-byte header of OpenFlow 1.3.5 §7.1 (version, type, length,
 * xid); the length bounds the message before anything is parsed. A length below the header size
 * or a version byte that is no OpenFlow version (1 to 6) outside a HELLO is garbage: the stream cannot be trusted,
 * so the channel is closed with a log line and a counter. A well-framed message whose body Loxi
 * cannot parse is dropped and counted, and the channel stays up; a FLOW_STATS reply that Loxi cannot
 * parse (flows with Nicira actions it does not know) is read by {@link FlowStatsReplyReader} first. A HELLO in a version Loxi does not
 * parse becomes a {@link ForeignHello} so that the handshake can answer it. A node's distribution carries
 * Loxi's classes of 1.3 and only the HELLO, ECHO and ERROR classes of other versions: a message of another
 * version whose classes are absent is treated as one Loxi cannot parse.
 */
final class OpenFlowMessageDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(OpenFlowMessageDecoder.class);
    static final int HEADER_LENGTH = 8;
    private static final int TYPE_HELLO = 0;
    private static final int MIN_WIRE_VERSION = 1;
    private static final int MAX_WIRE_VERSION = 6;
    private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();

    private final ControllerCounters counters;

    OpenFlowMessageDecoder(ControllerCounters counters) {
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER_LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int version = in.getUnsignedByte(start);
        int type = in.getUnsignedByte(start + 1);
        int length = in.getUnsignedShort(start + 2);
        if (length < HEADER_LENGTH) {
            reject(ctx, in, "length field " + length + " is shorter than the OpenFlow header");
            return;
        }
        if (type != TYPE_HELLO && (version < MIN_WIRE_VERSION || version > MAX_WIRE_VERSION)) {
            reject(ctx, in, "version byte 0x" + Integer.toHexString(version) + " is no OpenFlow version");
            return;
        }
        if (in.readableBytes() < length) {
            return;
        }
        ByteBuf message = in.slice(start, length);
        in.skipBytes(length);
        try {
            OFMessage parsed = READER.readFrom(message);
            if (parsed != null) {
                out.add(parsed);
                return;
            }
        } catch (OFParseError | RuntimeException | LinkageError e) {
            // LinkageError: a node's distribution carries Loxi's classes of 1.3 only (topology/pom.xml).
            log.debug("Loxi could not parse version {} type {}", version, type, e);
        }
        message.readerIndex(0);
        if (FlowStatsReplyReader.isFlowStatsReply(message)) {
            try {
                out.add(FlowStatsReplyReader.read(message));
                return;
            } catch (OFParseError | RuntimeException e) {
                log.debug("nor could the flow stats reader", e);
            }
        }
        if (type == TYPE_HELLO) {
            out.add(new ForeignHello(version));
        } else {
            counters.malformed.increment();
            log.warn("dropped an unparseable OpenFlow message from {} (version {}, type {}, {} bytes)",
                    ctx.channel().remoteAddress(), version, type, length);
        }
    }

    private void reject(ChannelHandlerContext ctx, ByteBuf in, String why) {
        counters.malformed.increment();
        log.warn("closing OpenFlow channel {}: {}", ctx.channel().remoteAddress(), why);
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}
