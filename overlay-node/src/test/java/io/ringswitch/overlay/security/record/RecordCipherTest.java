package io.ringswitch.overlay.security.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Records sealed and opened in place: round trips, and nothing forged, replayed or random gets through. */
class RecordCipherTest {
    private static final int ENVELOPE = 8;
    private final byte[] key = new byte[32];

    {
        new Random(1).nextBytes(key);
    }

    /** A direct buffer as the frame path has it: envelope, record header room, then the frame. */
    private static ByteBuf record(byte[] frame) {
        ByteBuf b = Unpooled.directBuffer(ENVELOPE + RecordCipher.HEADER + frame.length + RecordCipher.TAG);
        b.writeBytes(new byte[] {0x52, 0x53, 1, 3, 0, 0, 0, 0});
        b.writeZero(RecordCipher.HEADER);
        b.writeBytes(frame);
        return b;
    }

    private static byte[] frame(int n, long seed) {
        byte[] f = new byte[n];
        new Random(seed).nextBytes(f);
        return f;
    }

    @Test
    void aRecordSealedInPlaceOpensInPlaceToTheSameFrame() {
        RecordCipher send = new RecordCipher(key, 7);
        RecordCipher receive = new RecordCipher(key, 7);
        for (int i = 0; i < 50; i++) {
            byte[] f = frame(60 + i * 27, i);
            ByteBuf b = record(f);
            send.seal(b, 0, ENVELOPE);
            assertEquals(ENVELOPE + RecordCipher.HEADER + f.length + RecordCipher.TAG, b.readableBytes());
            assertNotEquals(Unpooled.wrappedBuffer(f), b.slice(ENVELOPE + RecordCipher.HEADER, f.length), "encrypted");
            assertEquals(RecordCipher.Result.OPENED, receive.open(b, 0, ENVELOPE));
            assertEquals(Unpooled.wrappedBuffer(f), b.slice(ENVELOPE + RecordCipher.HEADER, b.writerIndex() - ENVELOPE - RecordCipher.HEADER));
            b.release();
        }
        assertEquals(50, send.sealed());
    }

    @Test
    void chaCha20Poly1305RecordsRoundTripAndEveryByteIsProtected() {
        RecordCipher send = new RecordCipher(key, 7, RecordCipher.Aead.CHACHA20_POLY1305);
        RecordCipher receive = new RecordCipher(key, 7, RecordCipher.Aead.CHACHA20_POLY1305);
        byte[] f = frame(1300, 9);
        ByteBuf b = record(f);
        send.seal(b, 0, ENVELOPE);
        ByteBuf sealed = b.copy();
        assertEquals(RecordCipher.Result.OPENED, receive.open(b, 0, ENVELOPE));
        assertEquals(Unpooled.wrappedBuffer(f), b.slice(ENVELOPE + RecordCipher.HEADER, f.length));
        assertEquals(RecordCipher.Result.REPLAYED, receive.open(sealed.copy(), 0, ENVELOPE));
        for (int at = 0; at < sealed.readableBytes(); at += 7) {
            ByteBuf copy = sealed.copy();
            copy.setByte(at, copy.getByte(at) ^ 0x01);
            RecordCipher.Result r = new RecordCipher(key, 7, RecordCipher.Aead.CHACHA20_POLY1305).open(copy, 0, ENVELOPE);
            assertNotEquals(RecordCipher.Result.OPENED, r, "a change at byte " + at + " went unnoticed");
        }
        assertEquals(RecordCipher.Result.FORGED,
                new RecordCipher(key, 7, RecordCipher.Aead.AES_256_GCM).open(sealed.copy(), 0, ENVELOPE),
                "a ChaCha20-Poly1305 record does not open as AES-GCM");
        b.release();
        sealed.release();
    }

    @Test
    void everyByteOfARecordIsProtected() {
        RecordCipher send = new RecordCipher(key, 7);
        ByteBuf sealed = record(frame(100, 3));
        send.seal(sealed, 0, ENVELOPE);
        for (int at = 0; at < sealed.readableBytes(); at++) {
            ByteBuf copy = Unpooled.directBuffer(sealed.readableBytes()).writeBytes(sealed, 0, sealed.readableBytes());
            copy.setByte(at, copy.getByte(at) ^ 0x20);
            RecordCipher.Result r = new RecordCipher(key, 7).open(copy, 0, ENVELOPE);
            assertNotEquals(RecordCipher.Result.OPENED, r, "a change at byte " + at + " went unnoticed");
            copy.release();
        }
        sealed.release();
    }

    @Test
    void replaysAndRecordsFromBeforeTheWindowAreRefusedButReorderingIsNot() {
        RecordCipher send = new RecordCipher(key, 1);
        RecordCipher receive = new RecordCipher(key, 1);
        ByteBuf[] sealed = new ByteBuf[5];
        for (int i = 0; i < 5; i++) {
            sealed[i] = record(frame(64, i));
            send.seal(sealed[i], 0, ENVELOPE);
        }
        ByteBuf replay = sealed[1].copy();
        for (int i : new int[] {0, 2, 1, 4, 3}) {
            assertEquals(RecordCipher.Result.OPENED, receive.open(sealed[i], 0, ENVELOPE), "record " + i);
        }
        assertEquals(RecordCipher.Result.REPLAYED, receive.open(replay, 0, ENVELOPE));
    }

    @Test
    void seededRandomRecordsNeverOpenAndNeverThrow() {
        RecordCipher receive = new RecordCipher(key, 9);
        Random r = new Random(42);
        for (int i = 0; i < 5000; i++) {
            byte[] junk = new byte[r.nextInt(120)];
            r.nextBytes(junk);
            if (junk.length >= ENVELOPE + 4 && i % 2 == 0) {
                junk[ENVELOPE] = 0;
                junk[ENVELOPE + 1] = 0;
                junk[ENVELOPE + 2] = 0;
                junk[ENVELOPE + 3] = 9;
            }
            ByteBuf b = Unpooled.directBuffer(junk.length + 1).writeBytes(junk);
            int before = b.writerIndex();
            RecordCipher.Result result = junk.length < ENVELOPE ? RecordCipher.Result.TRUNCATED : receive.open(b, 0, ENVELOPE);
            assertNotEquals(RecordCipher.Result.OPENED, result, ByteBufUtil.hexDump(b));
            assertEquals(before, b.writerIndex(), "a refused record leaves the buffer as it was");
            b.release();
        }
    }

    @Test
    void theReplayWindowSlidesAndForgets() {
        ReplayWindow w = new ReplayWindow();
        assertTrue(w.mark(0));
        assertFalse(w.mark(0));
        assertTrue(w.mark(100_000));
        assertFalse(w.mayAccept(100_000 - ReplayWindow.SIZE), "older than the window");
        assertTrue(w.mark(100_000 - ReplayWindow.SIZE + 1), "just inside the window");
        assertTrue(w.mark(99_999));
        assertFalse(w.mark(99_999));
        assertTrue(w.mark(200_000));
        assertFalse(w.mayAccept(100_000), "the old range is gone after a long jump");
        assertFalse(w.mayAccept(-1));
    }
}
