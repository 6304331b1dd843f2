package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordWarmUpTest {
    private final UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);

    /** A GSO run of {@code frames.length} slots of {@code slot} bytes (the last one shorter when its frame is). */
    private ByteBuf run(int slot, byte[]... frames) {
        int lead = RecordWarmUp.segmentLead();
        ByteBuf out = alloc.directBuffer();
        for (byte[] frame : frames) {
            out.writeZero(lead).writeBytes(frame).writeZero(RecordWarmUp.segmentTail());
        }
        return out;
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) {
            f[i] = (byte) (i * seed);
        }
        return f;
    }

    @Test
    void everyRecordOfARunIsSealedAndOpensToTheFrameItCarried() {
        int slot = RecordWarmUp.segmentLead() + 1374 + RecordWarmUp.segmentTail();
        byte[][] frames = {frame(1374, 3), frame(1374, 5), frame(700, 7)};
        ByteBuf segments = run(slot, frames);
        List<byte[]> opened = new ArrayList<>();
        int count = new RecordWarmUp().sealAndOpen(segments, slot, plain -> {
            opened.add(ByteBufUtil.getBytes(plain));
            plain.release();
        });
        assertEquals(3, count);
        for (int i = 0; i < frames.length; i++) {
            assertArrayEquals(frames[i], opened.get(i), "frame " + i);
        }
        assertEquals(0, alloc.metric().usedDirectMemory(), "every buffer released");
    }
}
