package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DHT messages round-trip, and everything else is refused as malformed, never thrown otherwise. */
class DhtMessageCodecTest {
    private static final DhtKey KEY = DhtKey.of("ip/10.1.0.7");
    private static final RingAddress A = RingAddress.ofName("a");
    private static final RingAddress B = RingAddress.ofName("b");

    /** One message of every kind, at its largest where it has a largest. */
    static List<DhtMessage> samples() {
        List<DhtValue> full = new ArrayList<>();
        for (int i = 0; i < DhtMessageCodec.MAX_VALUES; i++) {
            byte[] v = new byte[DhtMessageCodec.MAX_VALUE];
            v[0] = (byte) i;
            full.add(new DhtValue(v, 0xFFFF_FFFFL - i));
        }
        DhtKey longest = DhtKey.of(new byte[DhtMessageCodec.MAX_KEY]);
        return List.of(
                new DhtMessage.Request(7, DhtMessage.Op.GET, KEY, new byte[0], 0),
                new DhtMessage.Request(-1, DhtMessage.Op.PUT, longest, new byte[DhtMessageCodec.MAX_VALUE], 60_000),
                new DhtMessage.Request(8, DhtMessage.Op.CREATE, KEY, "site-1".getBytes(), 1),
                new DhtMessage.Reply(9, DhtStatus.EXISTS, 255, full),
                new DhtMessage.Reply(10, DhtStatus.NOT_FOUND, 0, List.of()),
                new DhtMessage.Store(List.of(new DhtMessage.Entry(KEY, List.of(new DhtValue(new byte[] {1}, 5)), List.of(A, B)),
                        new DhtMessage.Entry(longest, List.of(), List.of(A)))),
                new DhtMessage.Fetch(11, KEY, true),
                new DhtMessage.Fetch(12, longest, false),
                new DhtMessage.FetchReply(13, true, full),
                new DhtMessage.FetchReply(14, false, List.of()),
                new DhtMessage.Reply(15, DhtStatus.OK, 3, List.of(new DhtValue(new byte[] {1}, 5)), List.of(A, B)));
    }

    @Test
    void everyMessageRoundTripsAndFitsARoutedMessage() throws MalformedException {
        for (DhtMessage m : samples()) {
            byte[] bytes = DhtMessageCodec.encode(m);
            assertTrue(bytes.length <= DhtMessageCodec.MAX_MESSAGE, m + ": " + bytes.length + " bytes");
            DhtMessage back = DhtMessageCodec.decode(bytes);
            assertArrayEquals(bytes, DhtMessageCodec.encode(back), m.toString());
            if (m instanceof DhtMessage.Request r) {
                assertEquals(r, back);
            }
        }
        DhtMessage.Entry entry = ((DhtMessage.Store) samples().get(5)).entries().get(0);
        assertEquals(DhtMessageCodec.STORE_HEADER + DhtMessageCodec.sizeOf(entry),
                DhtMessageCodec.encode(new DhtMessage.Store(List.of(entry))).length);
    }

    @Test
    void aReplyFullOfValuesLeavesItsHoldersOutAndStillFits() throws MalformedException {
        List<DhtValue> full = new ArrayList<>();
        for (int i = 0; i < DhtMessageCodec.MAX_VALUES; i++) {
            full.add(new DhtValue(new byte[DhtMessageCodec.MAX_VALUE], 1000));
        }
        byte[] bytes = DhtMessageCodec.encode(new DhtMessage.Reply(16, DhtStatus.OK, 1, full, List.of(A, B)));
        assertTrue(bytes.length <= DhtMessageCodec.MAX_MESSAGE, bytes.length + " bytes");
        DhtMessage.Reply back = (DhtMessage.Reply) DhtMessageCodec.decode(bytes);
        assertEquals(DhtMessageCodec.MAX_VALUES, back.values().size());
        assertEquals(List.of(), back.holders());
        DhtMessage.Reply small = (DhtMessage.Reply) DhtMessageCodec.decode(DhtMessageCodec.encode(
                new DhtMessage.Reply(17, DhtStatus.OK, 1, List.of(), List.of(A, B))));
        assertEquals(List.of(A, B), small.holders());
    }

    @Test
    void everyTruncationAndEveryTrailingByteIsRefused() {
        for (DhtMessage m : samples()) {
            byte[] bytes = DhtMessageCodec.encode(m);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                assertThrows(MalformedException.class, () -> DhtMessageCodec.decode(prefix), m + " cut at " + cut);
            }
            assertThrows(MalformedException.class, () -> DhtMessageCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)));
        }
    }

    @Test
    void lengthsAndCountsOverTheirBoundsAreRefusedBeforeAnythingIsRead() {
        // A request whose key claims 129 bytes, a value of 1153, nine values, nine holders, no or 65 entries.
        assertMalformed(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 1, (byte) 129});
        byte[] put = DhtMessageCodec.encode(new DhtMessage.Request(1, DhtMessage.Op.PUT, KEY, new byte[4], 1000));
        put[put.length - 6] = 0x04;
        put[put.length - 5] = (byte) 0x81;
        assertMalformed(put);
        assertMalformed(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 9});
        assertMalformed(new byte[] {3, 1, 1, 'k', 0, 9});
        assertMalformed(new byte[] {3, 0});
        assertMalformed(new byte[] {3, 65});
        assertMalformed(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 'k', 0, 0, 0, 1, 0, 0});
        assertMalformed(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 1, 3, 1, 'k', 0, 0, 0, 1, 0, 0});
        assertMalformed(new byte[] {2, 0, 0, 0, 0, 0, 0, 0, 1, 10, 0, 0});
        assertMalformed(new byte[] {4, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 'k'});
        assertMalformed(new byte[] {4, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0});
        assertMalformed(new byte[] {6});
        assertMalformed(new byte[0]);
    }

    private static void assertMalformed(byte[] bytes) {
        assertThrows(MalformedException.class, () -> DhtMessageCodec.decode(bytes), Arrays.toString(bytes));
    }

    @Test
    void mutatedAndRandomPayloadsDecodeOrAreRefusedAndNeverThrowAnythingElse() {
        Random random = new Random(61);
        List<DhtMessage> samples = samples();
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = mutate(DhtMessageCodec.encode(samples.get(random.nextInt(samples.size()))), random);
            try {
                DhtMessage m = DhtMessageCodec.decode(bytes);
                assertTrue(DhtMessageCodec.encode(m).length <= DhtMessageCodec.MAX_MESSAGE);
            } catch (MalformedException e) {
                refused++;
            }
        }
        assertTrue(refused > 5_000, refused + " refused");
    }

    /** A payload changed the ways an attacker or a broken peer would: bytes flipped, cut, grown, or noise. */
    static byte[] mutate(byte[] bytes, Random random) {
        switch (random.nextInt(5)) {
            case 0 -> {
                byte[] out = bytes.clone();
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 1 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 2 -> {
                byte[] out = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                for (int i = bytes.length; i < out.length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
                return out;
            }
            case 3 -> {
                byte[] out = new byte[random.nextInt(64)];
                random.nextBytes(out);
                if (out.length > 0) {
                    out[0] = (byte) (1 + random.nextInt(5));
                }
                return out;
            }
            default -> {
                byte[] out = bytes.clone();
                int at = random.nextInt(out.length);
                out[at] = (byte) (out[at] ^ (1 << random.nextInt(8)));
                return out;
            }
        }
    }
}
