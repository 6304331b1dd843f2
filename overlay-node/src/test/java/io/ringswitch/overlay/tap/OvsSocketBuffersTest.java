package io.ringswitch.overlay.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link OvsSocketBuffers} on a real packet socket held by another process: tcpdump on the
 * loopback interface stands in for ovs-vswitchd, which reads its ports the same way.
 */
class OvsSocketBuffersTest {
    private static final Path PROC = Path.of("/proc");

    @Test
    void anotherProcesssPacketSocketGetsTheLargerBufferOnce() throws Exception {
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "-w", "/dev/null", "-U", "udp port 9")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            int pid = (int) tcpdump.pid();
            List<Integer> fds = awaitPacketSocket(pid);
            int fd = fds.get(0);
            int before = OvsSocketBuffers.receiveBuffer(pid, fd);
            assertTrue(before > 0 && before < 8 << 20, "tcpdump's buffer before: " + before);

            assertEquals(0, new OvsSocketBuffers(PROC, "not-" + "tcpdump", 4 << 20).enlargeNew(),
                    "a process of another name is left alone");
            assertEquals(before, OvsSocketBuffers.receiveBuffer(pid, fd));

            OvsSocketBuffers buffers = new OvsSocketBuffers(PROC, "tcpdump", 4 << 20);
            assertTrue(buffers.enlargeNew() >= 1);
            // The kernel doubles what SO_RCVBUFFORCE asks for, for its bookkeeping (socket(7)).
            assertEquals(8 << 20, OvsSocketBuffers.receiveBuffer(pid, fd));
            assertEquals(0, buffers.enlargeNew(), "each socket once");
            assertEquals(0, buffers.failures());
        } finally {
            tcpdump.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void procNetPacketIsReadByItsLastColumn() {
        Set<Long> inodes = OvsSocketBuffers.packetSocketInodes(List.of(
                "sk               RefCnt Type Proto  Iface R Rmem   User   Inode",
                "ffff9a1c86a1c800 3      3    0003   7     1 0      0      351992",
                "ffff9a1c86a1d000 3      3    88cc   2     1 0      0      18271",
                "garbage"));
        assertEquals(Set.of(351992L, 18271L), inodes);
        assertFalse(OvsSocketBuffers.packetSocketInodes(List.of()).iterator().hasNext());
    }

    private static List<Integer> awaitPacketSocket(int pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<Integer> fds = OvsSocketBuffers.packetSocketDescriptors(PROC, pid);
            if (!fds.isEmpty()) {
                return fds;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("tcpdump opened no packet socket within 10 s");
    }
}
