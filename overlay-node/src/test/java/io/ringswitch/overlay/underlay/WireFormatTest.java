package io.ringswitch.overlay.underlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static ByteBuf datagram(int payloadLength) {
        ByteBuf buf = Unpooled.buffer(WireFormat.HEADER_LENGTH + payloadLength);
        buf.writerIndex(WireFormat.HEADER_LENGTH);
        for (int i = 0; i < payloadLength; i++) {
            buf.writeByte(i);
        }
        WireFormat.setHeader(buf, 0, WireFormat.TYPE_RING, payloadLength);
        return buf;
    }

    @Test
    void anEnvelopeRoundTripsAndLeavesExactlyThePayload() {
        ByteBuf datagram = datagram(60);
        assertEquals(WireFormat.TYPE_RING, WireFormat.decode(datagram));
        assertEquals(60, datagram.readableBytes());
        assertEquals(0, datagram.getByte(datagram.readerIndex()));
        assertEquals(59, datagram.getByte(datagram.readerIndex() + 59));
    }

    @Test
    void everyTruncationIsRejectedAndLeavesTheBufferAlone() {
        ByteBuf whole = datagram(60);
        for (int cut = 0; cut < whole.readableBytes(); cut++) {
            ByteBuf part = whole.slice(0, cut);
            int result = WireFormat.decode(part);
            assertEquals(WireFormat.Reject.TRUNCATED, WireFormat.reason(result), "cut at " + cut);
            assertEquals(0, part.readerIndex());
        }
    }

    @Test
    void trailingBytesAreALengthMismatch() {
        ByteBuf datagram = datagram(60);
        datagram.writeByte(0);
        assertEquals(WireFormat.Reject.LENGTH_MISMATCH, WireFormat.reason(WireFormat.decode(datagram)));
    }

    @Test
    void anOversizedLengthIsRejectedBeforeAnythingElse() {
        ByteBuf datagram = datagram(60);
        datagram.setShort(4, WireFormat.MAX_PAYLOAD + 1);
        assertEquals(WireFormat.Reject.OVERSIZED, WireFormat.reason(WireFormat.decode(datagram)));
    }

    @Test
    void unknownVersionsTypesAndMagicAreRejected() {
        ByteBuf version = datagram(60);
        version.setByte(2, 2);
        assertEquals(WireFormat.Reject.UNKNOWN_VERSION, WireFormat.reason(WireFormat.decode(version)));
        ByteBuf type = datagram(60);
        type.setByte(3, 99);
        assertEquals(WireFormat.Reject.UNKNOWN_TYPE, WireFormat.reason(WireFormat.decode(type)));
        ByteBuf magic = datagram(60);
        magic.setByte(0, 'X');
        assertEquals(WireFormat.Reject.BAD_MAGIC, WireFormat.reason(WireFormat.decode(magic)));
    }
}
