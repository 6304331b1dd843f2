package io.ringswitch.overlay.tap;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the packet sockets through which a userspace-datapath {@code ovs-vswitchd} reads its ports
 * a receive buffer that holds a burst of the node's super-frames.
 *
 * <p>With {@code datapath_type=netdev}, OVS reads every system port of the bridge (the overlay
 * port and the hosts' veths) through an {@code AF_PACKET} socket, and it never sets that socket's
 * buffer: it is {@code net.core.rmem_default}, 208 KiB, which a network namespace cannot change.
 * A 43 KB super-frame costs about 64 KB of it, so three or four of them fill it, and a burst that
 * arrives while ovs-vswitchd's thread waits for a core is dropped without a counter anywhere in
 * OVS (the kernel counts the frame on the port, OVS never sees it). On two loaded cores that lost
 * 813 of 8,762 super-frames (9 %) between the overlay port and the host in a 5 s iperf3 run, and
 * TCP retransmitted 11,629 segments.
 *
 * <p>This class takes a duplicate of each such descriptor from ovs-vswitchd ({@code pidfd_getfd},
 * Linux 5.6, as root) and sets {@code SO_RCVBUFFORCE} on it; the socket is shared, so OVS's own
 * descriptor gets the buffer. It touches only sockets of an ovs-vswitchd in the node's own
 * network namespace, each once. The kernel datapath needs none of this and is left alone.
 */
public final class OvsSocketBuffers {
    /** What each of OVS's packet sockets gets: room for about 60 super-frames. */
    public static final int BUFFER_BYTES = 4 << 20;
    private static final Logger log = LoggerFactory.getLogger(OvsSocketBuffers.class);
    private static final long SYS_PIDFD_OPEN = 434;
    private static final long SYS_PIDFD_GETFD = 438;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int SO_RCVBUFFORCE = 33;

    private final Path proc;
    private final String command;
    private final int bytes;
    private final Set<Long> done = new HashSet<>();
    private long enlarged;
    private long failures;

    /** For the ovs-vswitchd of this network namespace. */
    public OvsSocketBuffers() {
        this(Path.of("/proc"), "ovs-vswitchd", BUFFER_BYTES);
    }

    /** For the processes named {@code command} (as {@code /proc/PID/comm} names them). */
    OvsSocketBuffers(Path proc, String command, int bytes) {
        this.proc = proc;
        this.command = command;
        this.bytes = bytes;
    }

    /**
     * Enlarges every packet socket of the named processes in this network namespace that it has
     * not enlarged before; cheap enough to repeat every few seconds, so that ports added later
     * and a restarted ovs-vswitchd are covered too. Returns how many it enlarged this time.
     */
    public synchronized int enlargeNew() {
        Set<Long> packetSockets;
        String ownNamespace;
        try {
            packetSockets = packetSocketInodes(Files.readAllLines(proc.resolve("net/packet")));
            ownNamespace = Files.readSymbolicLink(proc.resolve("self/ns/net")).toString();
        } catch (IOException e) {
            fail("cannot read " + proc + "/net/packet: " + e.getMessage());
            return 0;
        }
        int now = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path pid : pids) {
                if (isTarget(pid, ownNamespace)) {
                    now += enlarge(Integer.parseInt(pid.getFileName().toString()), pid, packetSockets);
                }
            }
        } catch (IOException e) {
            fail("cannot list " + proc + ": " + e.getMessage());
        }
        done.retainAll(packetSockets);
        return now;
    }

    /** Sockets enlarged since the node started. */
    public synchronized long enlarged() {
        return enlarged;
    }

    /** Sockets that could not be enlarged (no permission, a kernel before 5.6). */
    public synchronized long failures() {
        return failures;
    }

    private boolean isTarget(Path pid, String ownNamespace) {
        try {
            return Files.readString(pid.resolve("comm")).trim().equals(command)
                    && Files.readSymbolicLink(pid.resolve("ns/net")).toString().equals(ownNamespace);
        } catch (IOException e) {
            return false; // the process ended, or is not ours to read
        }
    }

    private int enlarge(int pid, Path pidDir, Set<Long> packetSockets) throws IOException {
        int count = 0;
        int pidfd = -1;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pidDir.resolve("fd"))) {
            for (Path fd : fds) {
                long inode = socketInode(fd);
                if (inode < 0 || !packetSockets.contains(inode) || done.contains(inode)) {
                    continue;
                }
                if (pidfd < 0) {
                    pidfd = (int) LibC.syscall(SYS_PIDFD_OPEN, pid, 0, 0);
                    if (pidfd < 0) {
                        fail("pidfd_open(" + pid + ") failed (Linux 5.6 or later and root are needed)");
                        return count;
                    }
                }
                if (setBuffer(pidfd, Integer.parseInt(fd.getFileName().toString()))) {
                    done.add(inode);
                    enlarged++;
                    count++;
                }
            }
        } finally {
            if (pidfd >= 0) {
                LibC.close(pidfd);
            }
        }
        if (count > 0) {
            log.info("gave {} packet socket(s) of {} (pid {}) a {} KiB receive buffer", count, command, pid, bytes >> 10);
        }
        return count;
    }

    private boolean setBuffer(int pidfd, int targetFd) {
        int copy = (int) LibC.syscall(SYS_PIDFD_GETFD, pidfd, targetFd, 0);
        if (copy < 0) {
            fail("pidfd_getfd failed for descriptor " + targetFd + " (root is needed)");
            return false;
        }
        try {
            byte[] value = {(byte) bytes, (byte) (bytes >> 8), (byte) (bytes >> 16), (byte) (bytes >> 24)};
            LibC.setsockopt(copy, SOL_SOCKET, SO_RCVBUFFORCE, value, value.length);
            return true;
        } catch (LastErrorException e) {
            fail("SO_RCVBUFFORCE failed: errno " + e.getErrorCode());
            return false;
        } finally {
            LibC.close(copy);
        }
    }

    /** The receive buffer the kernel gives socket {@code fd} of process {@code pid}, or -1. */
    static int receiveBuffer(int pid, int fd) {
        int pidfd = (int) LibC.syscall(SYS_PIDFD_OPEN, pid, 0, 0);
        if (pidfd < 0) {
            return -1;
        }
        int copy = (int) LibC.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0);
        LibC.close(pidfd);
        if (copy < 0) {
            return -1;
        }
        try {
            byte[] value = new byte[4];
            LibC.getsockopt(copy, SOL_SOCKET, SO_RCVBUF, value, new int[] {4});
            return (value[0] & 0xff) | (value[1] & 0xff) << 8 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 24;
        } finally {
            LibC.close(copy);
        }
    }

    /** The packet-socket descriptors that process {@code pid} holds. */
    static List<Integer> packetSocketDescriptors(Path proc, int pid) throws IOException {
        Set<Long> packet = packetSocketInodes(Files.readAllLines(proc.resolve("net/packet")));
        List<Integer> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve(pid + "/fd"))) {
            for (Path fd : fds) {
                if (packet.contains(socketInode(fd))) {
                    out.add(Integer.parseInt(fd.getFileName().toString()));
                }
            }
        }
        return out;
    }

    private static long socketInode(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[") && target.endsWith("]")) {
                return Long.parseLong(target.substring(8, target.length() - 1));
            }
        } catch (IOException | NumberFormatException e) {
            // closed meanwhile, or not a socket
        }
        return -1;
    }

    /** The inodes in {@code /proc/net/packet}: its last column, after a header line. */
    static Set<Long> packetSocketInodes(List<String> lines) {
        Set<Long> out = new HashSet<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] cols = line.trim().split("\\s+");
            try {
                out.add(Long.parseLong(cols[cols.length - 1]));
            } catch (NumberFormatException e) {
                // a line of another format: skipped
            }
        }
        return out;
    }

    private void fail(String why) {
        if (Long.bitCount(++failures) == 1) {
            log.warn("cannot enlarge {}'s packet socket buffers ({} time(s)): {}; with the userspace datapath, bursts "
                    + "from the overlay port may be lost under load", command, failures, why);
        }
    }
}
