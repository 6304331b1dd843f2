package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.ringswitch.controller.packet.PacketTooBig;
import io.ringswitch.overlay.offload.TcpSegmenter;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a plain (not GSO) IP packet from the overlay port that is larger than the overlay carries
 * into what a router would make of it: an ICMP answer back out of the port, a TCP segment cut to
 * fit, or a counted drop. The switch's flows answer most oversized packets before they reach the
 * node (see the controller's TooBigManager); what is left here is what only the node can tell
 * apart, or what came by a flow that skips the switch's size check. Owned by the frame forwarder,
 * on its thread.
 */
final class OversizedFrames {
    private static final Logger log = LoggerFactory.getLogger(OversizedFrames.class);
    private static final int IPV6 = 0x86dd;

    private final FrameForwarder.Port port;
    private final ByteBufAllocator alloc;
    private final int overlayMtu;
    private final FrameCounters counters;
    private final BiConsumer<ByteBuf, VirtioNetHeader> cut;

    /**
     * @param cut sends a frame as segments of the given header's size, taking it (the forwarder's
     *            way with super-frames)
     */
    OversizedFrames(FrameForwarder.Port port, ByteBufAllocator alloc, int overlayMtu, FrameCounters counters,
                    BiConsumer<ByteBuf, VirtioNetHeader> cut) {
        this.port = port;
        this.alloc = alloc;
        this.overlayMtu = overlayMtu;
        this.counters = counters;
        this.cut = cut;
    }

    /**
     * An IP packet larger than the overlay carries, in a frame without a GSO flag: a plain packet,
     * not a super-frame. A TCP segment is answered here with ICMP "fragmentation needed" (IPv4 with
     * DF) or ICMPv6 "packet too big" carrying the overlay MTU, built by the switch controller's
     * {@link PacketTooBig}, so that the sender's path MTU discovery learns it (a host left at MTU
     * 1500 without TSO). This one case stays in the node because only the node sees the GSO flag
     * (the TAP's virtio-net header): OVS's check_pkt_larger measures a TSO super-frame and a plain
     * oversized segment alike, so the bridge lets all TCP through, and super-frames, which must not
     * be answered, are cut in {@link FrameForwarder#fromPortSuperFrame}. A TCP segment without DF is cut like a
     * super-frame (a router would fragment it; a byte stream may be cut anywhere). The controller
     * answers oversized UDP and ICMP before they reach the overlay port; one that reaches the node
     * anyway came by a flow that skips the size check (the full tunnel's steering flows send frames
     * straight to this port) and is answered the same way and counted apart, so that no host is
     * left with a black hole. Anything else (IPv4 without DF, not IP) is dropped and counted. Takes
     * the frame.
     */
    void handle(ByteBuf frame) {
        int at = frame.readerIndex();
        int l2 = PacketTooBig.l2Length(frame, at);
        int headers = TcpSegmenter.headerLength(frame);
        boolean tcp = l2 > 0 && headers > l2;
        if (l2 > 0) {
            PacketTooBig.Answer answer = PacketTooBig.answer(ByteBufUtil.getBytes(frame), overlayMtu);
            if (answer.frame() != null) {
                frame.release();
                (tcp ? counters.tcpTooBigAnswered : counters.unswitchedTooBigAnswered).inc();
                counters.framesToPort.inc();
                // The TAP writes from native memory only: a direct buffer, never the array itself.
                ByteBuf reply = alloc.directBuffer(answer.frame().length).writeBytes(answer.frame());
                if (!port.write(reply)) {
                    counters.portWriteDrops.inc();
                }
                reply.release();
                return;
            }
            if (tcp && answer.refusal() == PacketTooBig.Refusal.NO_DF) {
                boolean v6 = frame.getUnsignedShort(at + l2 - 2) == IPV6;
                counters.resized.inc();
                cut.accept(frame, new VirtioNetHeader(0, v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4, headers,
                        overlayMtu - (headers - l2), 0, 0));
                return;
            }
        }
        counters.oversizedRefused.inc();
        if (Long.bitCount(counters.oversizedRefused.getLongValue()) == 1) {
            log.warn("dropped a {}-byte frame larger than the overlay MTU {} that no ICMP answer is due for ({} so far)",
                    frame.readableBytes(), overlayMtu, counters.oversizedRefused.getLongValue());
        }
        frame.release();
    }
}
