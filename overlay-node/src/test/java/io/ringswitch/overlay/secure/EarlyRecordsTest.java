package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyRecordsTest {
    private final EarlyRecords early = new EarlyRecords(() -> 0L, new SecurityCounters());

    private static ByteBuf record(int n, int size) {
        ByteBuf b = Unpooled.directBuffer(size);
        b.writeInt(n).writeZero(size - 4);
        return b;
    }

    /** A stream that began before the responder's session was made arrives whole and in order (32 did). */
    @Test
    void aStreamOfRecordsBeforeTheSessionIsHeldWholeAndReplayedInOrder() {
        for (int i = 0; i < 500; i++) {
            ByteBuf r = record(i, 1400);
            assertTrue(early.hold(7, r), "record " + i + " held");
            r.release();
        }
        List<Integer> replayed = new ArrayList<>();
        early.replay(7, b -> replayed.add(b.getInt(b.readerIndex())));
        assertEquals(500, replayed.size());
        for (int i = 0; i < 500; i++) {
            assertEquals(i, replayed.get(i));
        }
    }

    /** Records for indexes that never become sessions cannot pile up: bounded per session and in all, by bytes. */
    @Test
    void anAttackerFloodingEarlyRecordsIsBoundedByBytes() {
        int held = 0;
        for (int i = 0; i < 10_000; i++) {
            ByteBuf r = record(i, 1400);
            if (early.hold(1, r)) {
                held++;
            }
            r.release();
        }
        assertTrue(held * 1400L <= EarlyRecords.EARLY_SESSION_BYTES, "per session: " + held);
        int others = 0;
        for (int index = 2; index < 100; index++) {
            for (int i = 0; i < 3000; i++) {
                ByteBuf r = record(i, 1400);
                if (early.hold(index, r)) {
                    others++;
                }
                r.release();
            }
        }
        assertTrue((held + others) * 1400L <= EarlyRecords.EARLY_TOTAL_BYTES, "in all: " + (held + others));
        early.discard(1);
        ByteBuf r = record(0, 1400);
        assertTrue(early.hold(200, r), "room again once a session's records are dropped");
        r.release();
        early.close();
        ByteBuf last = record(0, 1400);
        assertTrue(early.hold(201, last), "close frees every byte held");
        last.release();
        early.close();
    }
}
