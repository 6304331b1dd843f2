package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapSearchTest {
    private static final String PATTERN = "RingSwitchSecret";

    /** A pcap file of {@code packets} as tcpdump writes it, in the byte order given. */
    static byte[] pcap(ByteOrder order, List<byte[]> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(order);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(1);
        out.writeBytes(header.array());
        int t = 0;
        for (byte[] p : packets) {
            ByteBuffer h = ByteBuffer.allocate(16).order(order);
            h.putInt(t++).putInt(0).putInt(p.length).putInt(p.length);
            out.writeBytes(h.array());
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] packet(int noise, String text, int noiseAfter) {
        Random random = new Random(noise * 31L + noiseAfter);
        byte[] before = new byte[noise];
        byte[] after = new byte[noiseAfter];
        random.nextBytes(before);
        random.nextBytes(after);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before);
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(after);
        return out.toByteArray();
    }

    @Test
    void countsPacketsWithThreeCopiesInAnyPhaseAndNotFewer(@TempDir Path dir) throws IOException {
        String shifted = (PATTERN + PATTERN + PATTERN + PATTERN).substring(5, 5 + 3 * 16);
        List<byte[]> packets = List.of(
                packet(42, PATTERN.repeat(3), 10),
                packet(7, shifted, 0),
                packet(100, PATTERN.repeat(2) + "RingSwitch", 20),
                packet(5, "0123456789".repeat(2) + "012345678", 5),
                packet(0, "0123456789".repeat(3), 3),
                packet(1500, "", 0),
                packet(3, "901234567890123456789012345678", 3));
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Path file = dir.resolve("c-" + order + ".pcap");
            Files.write(file, pcap(order, packets));
            PcapSearch.Result r = PcapSearch.search(file, 3, List.of(PATTERN, "0123456789"));
            assertEquals(7, r.packets());
            assertEquals(packets.stream().mapToLong(p -> p.length).sum(), r.bytes());
            assertEquals(List.of(2L, 2L), r.matching(), order.toString());
        }
    }

    @Test
    void aTruncatedLastPacketIsLeftOutAndOtherFilesAreRefused(@TempDir Path dir) throws IOException {
        byte[] whole = pcap(ByteOrder.LITTLE_ENDIAN, List.of(packet(10, PATTERN.repeat(3), 10), packet(10, PATTERN.repeat(3), 10)));
        Path file = dir.resolve("cut.pcap");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 5));
        assertEquals(List.of(1L), PcapSearch.search(file, 3, List.of(PATTERN)).matching());
        Files.writeString(file, "not a capture, but long enough to have a header");
        assertThrows(IOException.class, () -> PcapSearch.search(file, 3, List.of(PATTERN)));
    }
}
