package io.ringswitch.overlay.underlay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

/** The TCP links' framing: envelopes back to back on a stream, however the stream is cut. */
class TcpFrameDecoderTest {

    private static byte[] envelope(int type, int payloadLength, int fill) {
        ByteBuf b = Unpooled.buffer();
        WireFormat.setHeader(b, 0, type, payloadLength);
        b.writerIndex(WireFormat.HEADER_LENGTH);
        for (int i = 0; i < payloadLength; i++) {
            b.writeByte(fill + i);
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    private static byte[] read(EmbeddedChannel ch) {
        ByteBuf frame = ch.readInbound();
        if (frame == null) {
            return null;
        }
        byte[] out = new byte[frame.readableBytes()];
        frame.readBytes(out);
        frame.release();
        return out;
    }

    @Test
    void partialFramesWaitForTheirRest() {
        EmbeddedChannel ch = new EmbeddedChannel(TcpLinks.frameDecoder());
        byte[] e = envelope(WireFormat.TYPE_SEALED_RING, 100, 1);
        // Cut inside the header (before and after the length) and inside the payload.
        int[] cuts = {3, 5, 7, 40, e.length};
        int from = 0;
        for (int cut : cuts) {
            ch.writeInbound(Unpooled.wrappedBuffer(e, from, cut - from));
            if (cut < e.length) {
                assertNull(read(ch), "nothing before the whole envelope (cut at " + cut + ")");
            }
            from = cut;
        }
        assertArrayEquals(e, read(ch));
        assertFalse(ch.finish());
    }

    @Test
    void coalescedFramesComeOutOneByOne() {
        EmbeddedChannel ch = new EmbeddedChannel(TcpLinks.frameDecoder());
        byte[] x = envelope(WireFormat.TYPE_HANDSHAKE_INIT, 30, 10);
        byte[] y = envelope(WireFormat.TYPE_SEALED_KEEPALIVE, 0, 0);
        byte[] z = envelope(WireFormat.TYPE_SEALED_RELAY, 9000, 3);
        ByteBuf stream = Unpooled.buffer().writeBytes(x).writeBytes(y).writeBytes(z, 0, 100);
        ch.writeInbound(stream);
        assertArrayEquals(x, read(ch));
        assertArrayEquals(y, read(ch));
        assertNull(read(ch));
        ch.writeInbound(Unpooled.wrappedBuffer(z, 100, z.length - 100));
        assertArrayEquals(z, read(ch));
        assertFalse(ch.finish());
    }

    @Test
    void aLengthOverTheEnvelopesLimitFailsTheStream() {
        EmbeddedChannel ch = new EmbeddedChannel(TcpLinks.frameDecoder());
        ByteBuf bad = Unpooled.buffer();
        WireFormat.setHeader(bad, 0, WireFormat.TYPE_SEALED_RING, WireFormat.MAX_PAYLOAD + 1);
        bad.writerIndex(WireFormat.HEADER_LENGTH);
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(bad));
        ch.finishAndReleaseAll();
    }
}
