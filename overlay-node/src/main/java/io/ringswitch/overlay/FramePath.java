package io.ringswitch.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.overlay.forwarding.FrameForwarder;
import io.ringswitch.overlay.offload.TcpCoalescer;
import io.ringswitch.overlay.offload.TcpSegmenter;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.tap.TapPort;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.UdpTransport;
import java.util.List;

/**
 * Frames between the overlay port and the {@link FrameForwarder}: the TAP's reads handed over in
 * batches (super-frames with their virtio-net header, others with their checksum completed), frames
 * from sites checked against the link or session they came on, and frames for the port written
 * through the {@link TcpCoalescer} when the TAP takes offloads (at the end of each burst). On the
 * node's event loop.
 */
final class FramePath {
    private final RingNode ring;
    private final UdpTransport transport;
    private final PayloadRecorder recorder;
    private final TcpCoalescer coalescer;
    private FrameForwarder forwarder;
    private TapPort tapPort;
    private long tapWriteDrops;

    /** @param offloads whether the TAP takes super-frames (then frames for it are coalesced) */
    FramePath(RingNode ring, UdpTransport transport, PayloadRecorder recorder, ByteBufAllocator alloc, boolean offloads) {
        this.ring = ring;
        this.transport = transport;
        this.recorder = recorder;
        this.coalescer = offloads ? new TcpCoalescer(alloc, new TcpCoalescer.Sink() {
            @Override
            public void write(ByteBuf vnetAndFrame) {
                if (!tapPort.writeWithHeader(vnetAndFrame)) {
                    tapWriteDrops++;
                }
            }

            @Override
            public void writeFrame(ByteBuf frame) {
                if (!tapPort.write(frame)) {
                    tapWriteDrops++;
                }
            }
        }) : null;
    }

    void attach(FrameForwarder forwarder) {
        this.forwarder = forwarder;
    }

    void attach(TapPort tapPort) {
        this.tapPort = tapPort;
    }

    /**
     * A frame straight from a site: only a linked peer may send one, under its own certificate, or
     * a site whose end-to-end session over the ring it came on.
     */
    void fromLinkedSite(InboundFrame f) {
        if (f.from() instanceof PeerPath.Routed routed && routed.peer().equals(f.peer())) {
            // Sealed end to end over the ring, under the session this site made with routed.peer().
            if (recorder != null) {
                recorder.frame(routed.peer(), f.frame());
            }
            forwarder.fromSite(routed.peer(), f.frame());
            return;
        }
        Link link = ring.linkAt(f.from());
        if (link == null && f.from() instanceof PeerPath.Relay relay) {
            // The two ends of a relayed link may have asked over different relays, until the pair
            // settles on one (issue 18): the peer's frames over either count, as its ring messages do.
            Link relayed = ring.link(relay.peer());
            link = relayed != null && relayed.path() instanceof PeerPath.Relay ? relayed : null;
        }
        if (link == null || (f.peer() != null && !f.peer().equals(link.address()))) {
            ring.counters().fromStranger.inc();
            f.frame().release();
            return;
        }
        link.countIn(f.frame().readableBytes(), 1);
        forwarder.fromSite(link.address(), f.frame());
    }

    /** A frame for the port: with offloads through the coalescer (written at the end of the burst). */
    boolean toPort(ByteBuf frame) {
        if (coalescer != null) {
            coalescer.offer(frame);
            return true;
        }
        return tapPort.write(frame);
    }

    /** The end of a burst of datagrams: what the coalescer joined goes to the port. */
    void burstEnd() {
        if (coalescer != null) {
            coalescer.flush();
        }
    }

    /** A batch the TAP read, to the forwarder in one send batch of the underlay. */
    void fromPort(List<ByteBuf> frames) {
        transport.batch(() -> {
            for (ByteBuf frame : frames) {
                if (!tapPort.offloads()) {
                    forwarder.fromPort(frame);
                    continue;
                }
                VirtioNetHeader vnet = VirtioNetHeader.read(frame, frame.readerIndex() - VirtioNetHeader.LENGTH);
                if (vnet.segmented()) {
                    forwarder.fromPortSuperFrame(frame, vnet);
                } else {
                    TcpSegmenter.completeChecksum(frame, vnet);
                    forwarder.fromPort(frame);
                }
            }
        });
    }

    /** Segments the coalescer joined into super-frames for the port. */
    long joined() {
        return coalescer == null ? 0 : coalescer.joined();
    }

    /** Super-frames the coalescer wrote to the port. */
    long written() {
        return coalescer == null ? 0 : coalescer.written();
    }

    /** Frames the port did not take (its queue full). */
    long tapWriteDrops() {
        return tapWriteDrops;
    }
}
