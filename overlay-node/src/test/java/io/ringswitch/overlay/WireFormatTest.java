package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static ByteBuf frameDatagram(int frameLength) {
        ByteBuf buf = Unpooled.buffer(WireFormat.HEADER_LENGTH + frameLength);
        buf.writerIndex(WireFormat.HEADER_LENGTH);
        for (int i = 0; i < frameLength; i++) {
            buf.writeByte(i);
        }
        WireFormat.setHeader(buf, 0, WireFormat.TYPE_FRAME, frameLength);
        return buf;
    }

    @Test
    void aFrameRoundTrips() {
        ByteBuf datagram = frameDatagram(60);
        assertEquals(WireFormat.TYPE_FRAME, WireFormat.decode(datagram));
        assertEquals(60, datagram.readableBytes());
        assertEquals(0, datagram.getByte(datagram.readerIndex()));
        assertEquals(59, datagram.getByte(datagram.readerIndex() + 59));
    }

    @Test
    void aHelloRoundTrips() {
        ByteBuf datagram = Unpooled.buffer();
        WireFormat.writeHello(datagram, "site-7".getBytes(StandardCharsets.UTF_8));
        assertEquals(WireFormat.TYPE_HELLO, WireFormat.decode(datagram));
        assertEquals("site-7", datagram.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyTruncationIsRejectedAndLeavesTheBufferAlone() {
        ByteBuf whole = frameDatagram(60);
        for (int cut = 0; cut < whole.readableBytes(); cut++) {
            ByteBuf part = whole.slice(0, cut);
            int result = WireFormat.decode(part);
            assertEquals(WireFormat.Reject.TRUNCATED, WireFormat.reason(result), "cut at " + cut);
            assertEquals(0, part.readerIndex());
        }
    }

    @Test
    void trailingBytesAreALengthMismatch() {
        ByteBuf datagram = frameDatagram(60);
        datagram.writeByte(0);
        assertEquals(WireFormat.Reject.LENGTH_MISMATCH, WireFormat.reason(WireFormat.decode(datagram)));
    }

    @Test
    void anOversizedLengthIsRejectedBeforeAnythingElse() {
        ByteBuf datagram = frameDatagram(60);
        datagram.setShort(4, WireFormat.MAX_PAYLOAD + 1);
        assertEquals(WireFormat.Reject.OVERSIZED, WireFormat.reason(WireFormat.decode(datagram)));
    }

    @Test
    void unknownVersionsTypesAndMagicAreRejected() {
        ByteBuf version = frameDatagram(60);
        version.setByte(2, 2);
        assertEquals(WireFormat.Reject.UNKNOWN_VERSION, WireFormat.reason(WireFormat.decode(version)));
        ByteBuf type = frameDatagram(60);
        type.setByte(3, 99);
        assertEquals(WireFormat.Reject.UNKNOWN_TYPE, WireFormat.reason(WireFormat.decode(type)));
        ByteBuf magic = frameDatagram(60);
        magic.setByte(0, 'X');
        assertEquals(WireFormat.Reject.BAD_MAGIC, WireFormat.reason(WireFormat.decode(magic)));
    }

    @Test
    void aFrameShorterThanAnEthernetHeaderIsARunt() {
        assertEquals(WireFormat.Reject.RUNT_FRAME, WireFormat.reason(WireFormat.decode(frameDatagram(13))));
    }

    @Test
    void anOverlongHelloIsRejected() {
        ByteBuf datagram = Unpooled.buffer();
        datagram.writeZero(WireFormat.HEADER_LENGTH + WireFormat.MAX_NAME + 1);
        WireFormat.setHeader(datagram, 0, WireFormat.TYPE_HELLO, WireFormat.MAX_NAME + 1);
        assertEquals(WireFormat.Reject.OVERSIZED, WireFormat.reason(WireFormat.decode(datagram)));
    }
}
