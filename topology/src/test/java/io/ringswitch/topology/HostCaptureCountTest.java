package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a counting capture reports: the packets of the file tcpdump left, whole ones only. */
class HostCaptureCountTest {

    @Test
    void anEmptyCaptureCountsNothing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("empty.pcap");
        Files.write(file, PcapSearchTest.pcap(ByteOrder.LITTLE_ENDIAN, List.of()));
        assertEquals(0, PcapSearch.packets(file));
    }

    @Test
    void everyPacketCountsInEitherByteOrder(@TempDir Path dir) throws IOException {
        List<byte[]> three = List.of(new byte[60], new byte[342], new byte[590]);
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Path file = dir.resolve("three-" + order + ".pcap");
            Files.write(file, PcapSearchTest.pcap(order, three));
            assertEquals(3, PcapSearch.packets(file));
        }
    }

    @Test
    void aPacketCutOffWhenTcpdumpWasStoppedIsNotCounted(@TempDir Path dir) throws IOException {
        byte[] whole = PcapSearchTest.pcap(ByteOrder.LITTLE_ENDIAN, List.of(new byte[60], new byte[342]));
        Path file = dir.resolve("cut.pcap");
        Files.write(file, Arrays.copyOf(whole, whole.length - 100));
        assertEquals(1, PcapSearch.packets(file));
    }

    @Test
    void aFileThatIsNoCaptureIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("log.pcap");
        Files.writeString(file, "tcpdump: eth0: No such device exists\n(SIOCGIFHWADDR: No such device)\n");
        assertThrows(IOException.class, () -> PcapSearch.packets(file));
    }
}
