package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UplinkLeaksTest {

    private static byte[] frame(int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(new byte[12]).putShort((short) etherType).put(payload);
        return b.array();
    }

    private static byte[] ipv4(int protocol, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(0, (byte) 0x45).put(9, (byte) protocol).putShort(20, (short) 4000).putShort(22, (short) dstPort);
        return b.array();
    }

    private static byte[] ipv6(int next, int dstPort) {
        ByteBuffer b = ByteBuffer.allocate(48);
        b.put(0, (byte) 0x60).put(6, (byte) next).putShort(40, (short) 4000).putShort(42, (short) dstPort);
        return b.array();
    }

    private static Path pcap(Path dir, byte[]... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(header.array());
        for (byte[] f : frames) {
            ByteBuffer ph = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            ph.putInt(0).putInt(0).putInt(f.length).putInt(f.length);
            out.writeBytes(ph.array());
            out.writeBytes(f);
        }
        Path file = dir.resolve("leaks.pcap");
        Files.write(file, out.toByteArray());
        return file;
    }

    @Test
    void leaksAreCountedByKindWithDnsOverEitherFamilyApart(@TempDir Path dir) throws IOException {
        Path file = pcap(dir, frame(0x0800, ipv4(1, 0)), frame(0x0800, ipv4(17, 80)), frame(0x0800, ipv4(17, 53)),
                frame(0x86dd, ipv6(58, 0)), frame(0x86dd, ipv6(6, 53)), frame(0x88b5, new byte[46]), frame(0x0800, new byte[3]));
        UplinkLeaks.Count c = UplinkLeaks.classify(file, 2);
        assertEquals(3, c.ipv4(), "ICMP, UDP to 80, and a cut IPv4 header");
        assertEquals(1, c.ipv6());
        assertEquals(2, c.dns());
        assertEquals(1, c.other());
        assertEquals(7, c.total());
        assertEquals(2, c.kernelDrops());
    }

    @Test
    void anEmptyOrMissingCaptureHoldsNoLeaks(@TempDir Path dir) throws IOException {
        assertEquals(0, UplinkLeaks.classify(dir.resolve("none.pcap"), 0).total());
        assertEquals(0, UplinkLeaks.classify(pcap(dir), 0).total());
    }

    @Test
    void onlyTheNodesOwnPortAndArpAreLeftOutOfTheCapture() {
        assertEquals("arp or ((udp or tcp) and host 10.99.0.3 and port 5800)", UplinkLeaks.allowed("10.99.0.3", 5800));
    }
}
