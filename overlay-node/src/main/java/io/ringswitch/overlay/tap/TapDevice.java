package io.ringswitch.overlay.tap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.SystemCommand;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux TAP device: Ethernet frames in and out of the kernel, one per read or write
 * (Documentation/networking/tuntap.rst). Opened non-blocking, so that a reader can wait with
 * {@link #awaitReadable} and stop when asked; reads and writes go straight between the file
 * descriptor and a direct {@link ByteBuf}.
 */
public final class TapDevice implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TapDevice.class);
    private static final long TUNSETIFF = 0x400454caL;
    /**
     * Frames the device holds for the node's reader ({@code txqueuelen}; the kernel's default is
     * 1,000): what OVS sends while the node is late waits here, and what finds the queue full is
     * dropped. Multicast at 20 Mbit/s from iperf's 1,470-byte datagrams (two frames each under the
     * overlay MTU) is about 3,600 frames a second; on two loaded cores a node that had not yet
     * compiled its multicast path, or waited for the CPU, lost 1,175 to 5,677 of 35,674 frames here
     * with 1,000, and none in the same lab with 10,000. 4,096 holds over a second of that stream;
     * under a TCP load that the node cannot keep up with, the queue it adds is at most about 25 ms
     * at 2 Gbit/s of full frames.
     */
    static final int QUEUE_FRAMES = 4096;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    /** Checksum, TSO for IPv4 and IPv6, TSO with ECN (linux/if_tun.h). */
    private static final int TUN_F_CSUM = 0x01;
    private static final int TUN_F_TSO4 = 0x02;
    private static final int TUN_F_TSO6 = 0x04;
    private static final int TUN_F_TSO_ECN = 0x08;
    /** Length of struct virtio_net_hdr, in front of every frame with IFF_VNET_HDR. */
    public static final int VNET_HEADER = 10;
    private static final int IFNAMSIZ = 16;
    private static final int IFREQ_SIZE = 40;

    private final String name;
    private final int mtu;
    private final boolean offloads;
    /** A zeroed virtio-net header and an iovec pair for writes of frames that carry none. */
    private final com.sun.jna.Memory iov = new com.sun.jna.Memory(32 + VNET_HEADER);
    private final byte[] pollFd = new byte[8];
    private volatile int fd;

    private TapDevice(String name, int mtu, int fd, boolean offloads) {
        this.name = name;
        this.mtu = mtu;
        this.fd = fd;
        this.offloads = offloads;
        iov.clear();
        ByteBuffer.wrap(pollFd).order(ByteOrder.nativeOrder()).putInt(0, fd).putShort(4, LibC.POLLIN);
    }

    /**
     * Creates (or attaches to) the TAP device {@code name}, sets its MTU and brings it up. With
     * {@code offloads}, every frame carries a virtio-net header and the kernel hands over TCP
     * super-frames of up to 64 KB and frames whose checksum is left to complete
     * ({@code IFF_VNET_HDR}, {@code TUNSETOFFLOAD}); where the kernel refuses, the device works
     * without them and says so.
     *
     * @throws IOException with the reason when the device cannot be had (no /dev/net/tun, no
     *                     CAP_NET_ADMIN, a name in use by another kind of device)
     */
    public static TapDevice open(String name, int mtu, boolean offloads) throws IOException {
        byte[] encoded = name.getBytes(StandardCharsets.US_ASCII);
        if (encoded.length == 0 || encoded.length >= IFNAMSIZ) {
            throw new IOException("TAP name '" + name + "' must be 1 to 15 characters");
        }
        int fd;
        try {
            fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open /dev/net/tun (" + e.getMessage()
                    + "): is the tun module there, and do we run as root or with CAP_NET_ADMIN?", e);
        }
        byte[] ifreq = new byte[IFREQ_SIZE];
        System.arraycopy(encoded, 0, ifreq, 0, encoded.length);
        short flags = (short) (IFF_TAP | IFF_NO_PI | (offloads ? IFF_VNET_HDR : 0));
        ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).putShort(IFNAMSIZ, flags);
        try {
            LibC.ioctl(fd, TUNSETIFF, ifreq);
        } catch (LastErrorException e) {
            LibC.close(fd);
            throw new IOException("TUNSETIFF " + name + " failed (" + e.getMessage()
                    + "): is the name taken by a device that is no TAP?", e);
        }
        boolean withOffloads = offloads;
        if (offloads) {
            try {
                LibC.ioctl(fd, TUNSETOFFLOAD, (long) (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN));
            } catch (LastErrorException e) {
                log.warn("TAP {}: the kernel refused TSO offloads ({}); frames come one by one", name, e.getMessage());
            }
        }
        TapDevice tap = new TapDevice(name, mtu, fd, withOffloads);
        try {
            quietKernel(name);
            SystemCommand.run(List.of("ip", "link", "set", "dev", name, "mtu", Integer.toString(mtu),
                    "txqueuelen", Integer.toString(QUEUE_FRAMES), "up"), 10,
                    "iproute2 is missing");
        } catch (IOException e) {
            tap.close();
            throw e;
        }
        log.info("TAP {} is up with MTU {}{}", name, mtu, withOffloads ? ", offloads on (virtio-net header, TSO)" : "");
        return tap;
    }

    /**
     * The TAP is a switch port, not an interface of this host: without IPv6 the kernel sends no
     * router solicitations or MLD reports into it, which would otherwise cross the overlay.
     */
    private static void quietKernel(String name) throws IOException {
        Path ipv6 = Path.of("/proc/sys/net/ipv6/conf", name, "disable_ipv6");
        if (Files.exists(ipv6)) {
            Files.writeString(ipv6, "1");
        }
    }

    public String name() {
        return name;
    }

    public int mtu() {
        return mtu;
    }

    /** Whether every frame read or written carries a {@link #VNET_HEADER}-byte virtio-net header. */
    public boolean offloads() {
        return offloads;
    }

    /**
     * Reads one frame into {@code buf} at its writer index and advances it (with offloads, the
     * virtio-net header comes first).
     *
     * @return the frame's length, or 0 when no frame is waiting
     */
    public int read(ByteBuf buf) {
        long n = LibC.read(fd, address(buf, buf.writerIndex()), buf.writableBytes());
        if (n <= 0) {
            return 0;
        }
        buf.writerIndex(buf.writerIndex() + (int) n);
        return (int) n;
    }

    /**
     * Writes the readable bytes of {@code buf} as they are: a frame, or with offloads a virtio-net
     * header and a frame. The buffer is not consumed.
     *
     * @return false when the kernel refused the frame (its queue is full, or the device is gone)
     */
    public boolean write(ByteBuf buf) {
        int length = buf.readableBytes();
        return LibC.write(fd, address(buf, buf.readerIndex()), length) == length;
    }

    /**
     * Writes a plain frame (no virtio-net header of its own); with offloads a header that asks
     * nothing of the kernel goes in front of it, in the same system call. Called from one thread.
     */
    public boolean writeFrame(ByteBuf frame) {
        if (!offloads) {
            return write(frame);
        }
        int length = frame.readableBytes();
        long header = Pointer.nativeValue(iov) + 32;
        iov.setLong(0, header);
        iov.setLong(8, VNET_HEADER);
        iov.setLong(16, address(frame, frame.readerIndex()));
        iov.setLong(24, length);
        return LibC.writev(fd, Pointer.nativeValue(iov), 2) == VNET_HEADER + length;
    }

    /** Waits until a frame can be read; false on time-out or when the device was closed. */
    public boolean awaitReadable(int timeoutMillis) {
        if (fd < 0) {
            return false;
        }
        return LibC.poll(pollFd, 1, timeoutMillis) > 0 && fd >= 0;
    }

    /** The device's file descriptor, for an event loop to watch; -1 once closed. */
    int fd() {
        return fd;
    }

    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public void close() {
        int old = fd;
        fd = -1;
        if (old >= 0) {
            LibC.close(old);
            log.info("TAP {} closed", name);
        }
    }

    private static long address(ByteBuf buf, int index) {
        if (buf.hasMemoryAddress()) {
            return buf.memoryAddress() + index;
        }
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("TAP I/O needs a direct buffer");
        }
        ByteBuffer nio = buf.internalNioBuffer(index, 0);
        return Pointer.nativeValue(Native.getDirectBufferPointer(nio)) + nio.position();
    }

}
