package io.ringswitch.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.offload.TcpCoalescer;
import io.ringswitch.overlay.offload.TcpSegmenter;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import io.ringswitch.overlay.secure.RecordWarmUp;
import io.ringswitch.overlay.underlay.WireFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms a fresh node's frame path up (issue 21 item 3): synthetic TCP super-frames, as the
 * overlay port hands them over with a virtio-net header, are cut into segments
 * ({@link TcpSegmenter}), sealed and opened under a throwaway key ({@link RecordWarmUp}) and
 * joined again ({@link TcpCoalescer}), a few hundred times, so that the JIT compiles that code,
 * and AES-GCM with the intrinsics only its second tier uses, before real traffic needs it. It
 * runs once, on a thread of its own at nice 19 (the data path and the start itself come first),
 * after the node has joined, controls its bridge and has bound a MAC, so that it does not delay
 * the first ping. It helps traffic that comes after it is done ({@code bench --cold-throughput
 * --idle-before 10}: first seconds 183-575 Mbit/s against 22-448); traffic that comes with the
 * first ping overlaps it, and there the gain was within the lab's noise (README, Figures).
 * Nothing it makes leaves the process. {@code -Dringswitch.warmUp=false} turns it off.
 */
final class DataPathWarmUp {
    private static final Logger log = LoggerFactory.getLogger(DataPathWarmUp.class);
    /** The system property that turns the warm-up off ({@code false}). */
    static final String PROPERTY = "ringswitch.warmUp";
    /** Super-frames a node's warm-up runs: about 20,000 records each way at the default MTU. */
    static final int SUPER_FRAMES = 400;
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int TCP = 20;
    private static final int HEADERS = ETHERNET + IPV4 + TCP;
    private static final int PAYLOAD = 65_535 - IPV4 - TCP;

    private final ByteBufAllocator alloc;
    private final int mss;
    private final RecordWarmUp records = new RecordWarmUp();
    private final TcpCoalescer coalescer;
    private final byte[] template;
    private long written;
    private long sequence = 1;

    /** @param mtu the overlay port's MTU: the segments are as large as the real ones */
    DataPathWarmUp(ByteBufAllocator alloc, int mtu) {
        this.alloc = alloc;
        this.mss = mtu - IPV4 - TCP;
        this.coalescer = new TcpCoalescer(alloc, new TcpCoalescer.Sink() {
            @Override
            public void write(ByteBuf vnetAndFrame) {
                written++;
            }

            @Override
            public void writeFrame(ByteBuf frame) {
                written++;
            }
        });
        this.template = superFrameTemplate();
    }

    /** Ticks of the node (seconds) after which it warms up even when no host is bound yet. */
    static final int LATEST_TICKS = 15;

    /**
     * Whether a node is far enough in its start to warm up: joined, its bridge under control with
     * the overlay port known, and a MAC bound (its hosts first, so that the first ping is not delayed).
     */
    static boolean due(boolean joined, ControllerStatus controller) {
        return joined && !controller.switches().isEmpty() && controller.overlayPort() >= 0 && controller.learnedMacs() > 0;
    }

    /** Whether nodes warm up: unless {@value #PROPERTY} is {@code false}. */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
    }

    /** Starts the warm-up of {@code superFrames} super-frames on a daemon thread at nice 19. */
    static Thread start(ByteBufAllocator alloc, int mtu, int superFrames) {
        Thread thread = new Thread(() -> {
            boolean niced = ThreadNiceness.set(19);
            long t0 = System.nanoTime();
            try {
                DataPathWarmUp warmUp = new DataPathWarmUp(alloc, mtu);
                long opened = 0;
                for (int i = 0; i < superFrames; i++) {
                    opened += warmUp.superFrame();
                }
                log.info("frame path warmed up{}: {} synthetic super-frames cut into {} records, sealed, opened and "
                        + "joined into {} in {} ms", niced ? " (nice 19)" : "", superFrames, opened, warmUp.written(),
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException e) {
                log.warn("frame path warm-up stopped: {}", e.toString());
            }
        }, "frame-path-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return thread;
    }

    /**
     * Takes one super-frame the way a real one goes: read with {@link WireFormat#HEADROOM} and a
     * virtio-net header, cut into segments with room for the record around each, sealed, opened,
     * and offered to the coalescer as the receiving node does.
     *
     * @return the records that were sealed and opened
     */
    int superFrame() {
        ByteBuf frame = alloc.directBuffer(WireFormat.HEADROOM + template.length);
        ByteBuf out = null;
        try {
            frame.writerIndex(WireFormat.HEADROOM).writeBytes(template).readerIndex(WireFormat.HEADROOM);
            frame.setInt(WireFormat.HEADROOM + ETHERNET + IPV4 + 4, (int) sequence);
            sequence += PAYLOAD;
            VirtioNetHeader vnet = new VirtioNetHeader(VirtioNetHeader.NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, HEADERS, mss,
                    ETHERNET + IPV4, 16);
            vnet.write(frame, WireFormat.HEADROOM - VirtioNetHeader.LENGTH);
            int segments = PAYLOAD / mss + 1;
            out = alloc.directBuffer(template.length + segments * (HEADERS + RecordWarmUp.segmentLead()
                    + RecordWarmUp.segmentTail()));
            int size = TcpSegmenter.segment(frame, VirtioNetHeader.read(frame, frame.readerIndex() - VirtioNetHeader.LENGTH),
                    RecordWarmUp.segmentLead(), RecordWarmUp.segmentTail(), out);
            if (size < 0) {
                throw new IllegalStateException("the synthetic super-frame was not cut");
            }
            ByteBuf run = out;
            out = null;
            int opened = records.sealAndOpen(run, size, plain -> {
                coalescer.offer(plain);
                plain.release();
            });
            coalescer.flush();
            return opened;
        } finally {
            frame.release();
            if (out != null) {
                out.release();
            }
        }
    }

    /** Frames the coalescer wrote (joined super-frames and single frames). */
    long written() {
        return written;
    }

    /**
     * An Ethernet, IPv4 and TCP header (RFC 791 §3.1, RFC 9293 §3.1) from 02:... locally
     * administered addresses and 192.0.2.0/24 (RFC 5737), ACK and PSH set, and a payload that fills
     * a 64 KB IP datagram.
     */
    private static byte[] superFrameTemplate() {
        byte[] f = new byte[HEADERS + PAYLOAD];
        byte[] dst = {0x02, 0, 0, 0, 0, 0x02};
        byte[] src = {0x02, 0, 0, 0, 0, 0x01};
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = 0x08;
        int ip = ETHERNET;
        f[ip] = 0x45;
        f[ip + 2] = (byte) ((IPV4 + TCP + PAYLOAD) >>> 8);
        f[ip + 3] = (byte) (IPV4 + TCP + PAYLOAD);
        f[ip + 6] = 0x40;
        f[ip + 8] = 64;
        f[ip + 9] = 6;
        byte[] a = {(byte) 192, 0, 2, 1, (byte) 192, 0, 2, 2};
        System.arraycopy(a, 0, f, ip + 12, 8);
        int tcp = ip + IPV4;
        f[tcp] = (byte) 0xc0;
        f[tcp + 1] = 0x01;
        f[tcp + 2] = 0x14;
        f[tcp + 3] = 0x51;
        f[tcp + 12] = 0x50;
        f[tcp + 13] = 0x18;
        f[tcp + 14] = (byte) 0xff;
        f[tcp + 15] = (byte) 0xff;
        for (int i = HEADERS; i < f.length; i++) {
            f[i] = (byte) (i * 31);
        }
        return f;
    }
}
