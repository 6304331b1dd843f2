package io.ringswitch.overlay.forwarding;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.packet.PacketTooBig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.offload.TcpSegmenter;
import io.ringswitch.overlay.offload.VirtioNetHeader;
import io.ringswitch.overlay.underlay.WireFormat;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.types.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries Ethernet frames between the overlay port and the ring, and nothing else: learns behind
 * which site (ring address) each remote MAC lives from the frames that arrive ({@link RemoteMacs},
 * which tells the switch controller, which points the bridge's flows for that MAC at the overlay
 * port), routes unicast to that site, sends IP multicast to the sites with members, and broadcasts the rest over the ring.
 * ARP, neighbour discovery, DHCP, IGMP/MLD and port security are the controller's: by the time a
 * frame reaches the overlay port the bridge's flows have answered, pruned or dropped it. One answer
 * stays here: a plain TCP segment too big for the overlay gets ICMP "too big" from the node, because
 * only the node sees whether a frame is a GSO super-frame (see {@link OversizedFrames}). Owned by the
 * node's event loop.
 */
public final class FrameForwarder implements PayloadHandler {
    private static final Logger log = LoggerFactory.getLogger(FrameForwarder.class);
    static final int MIN_FRAME = 14;

    /** The overlay port; does not take ownership of the buffer. */
    public interface Port {
        boolean write(ByteBuf frame);
    }

    /**
     * The ring as the forwarder uses it: a frame straight to a linked site (the buffer itself, no
     * copy), routed to a site further away, or to all.
     */
    public interface Ring {
        /** Sends the frame over the direct link to {@code site} and takes the buffer; false when there is none. */
        boolean sendDirect(RingAddress site, ByteBuf frame);

        /**
         * Sends a TCP super-frame over the direct link to {@code site} as segments in one go and
         * takes the buffer; false when there is no direct link (or the frame cannot be cut).
         */
        boolean sendSegments(RingAddress site, ByteBuf superFrame, VirtioNetHeader vnet);

        void unicast(RingAddress site, byte[] frame);

        void broadcast(byte[] frame);
    }

    /** Where each site's hosts' MACs are published (the DHT): asked when a unicast destination is unknown here. */
    public interface MacDirectory {
        /** The site that published {@code mac} last, or a future of null. */
        CompletableFuture<RingAddress> site(long mac);
    }

    private final Port port;
    private final ByteBufAllocator alloc;
    private final RemoteMacs macs;
    private Ring ring;
    private RingMulticast multicast;
    private final int overlayMtu;
    private final NodeMetrics metrics;
    private final FrameCounters counters;
    private final OversizedFrames oversized;

    /** A forwarder whose frames may carry IP packets of up to {@code overlayMtu} bytes. */
    public FrameForwarder(Port port, ByteBufAllocator alloc, LongSupplier clock, int overlayMtu) {
        this(port, alloc, clock, overlayMtu, NodeMetrics.inProcess());
    }

    /** A forwarder that counts in the node's {@code metrics}. */
    public FrameForwarder(Port port, ByteBufAllocator alloc, LongSupplier clock, int overlayMtu, NodeMetrics metrics) {
        this.metrics = metrics;
        this.counters = new FrameCounters(metrics);
        this.port = port;
        this.alloc = alloc;
        this.macs = new RemoteMacs(clock, counters);
        this.overlayMtu = overlayMtu;
        this.oversized = new OversizedFrames(port, alloc, overlayMtu, counters, this::cut);
    }

    public void attach(Ring ring) {
        this.ring = ring;
    }

    /** The MAC half of the directory: unknown unicast destinations are looked up for the next frames. */
    public void attach(MacDirectory directory) {
        macs.attach(directory);
    }

    /** Multicast: IP multicast groups (not link-local) go to the sites with members only, as the directory lists them. */
    public void attach(RingMulticast multicast) {
        this.multicast = multicast;
    }

    /** Told of every remote MAC learned and forgotten here: the controller's flows for remote MACs follow this table. */
    public void attach(SiteDirectory.Listener macEvents) {
        macs.attach(macEvents);
    }

    /**
     * A frame read from the overlay port; ownership passes to this method. A frame for a site
     * this node links to directly leaves in the same buffer; others are copied into ring messages.
     */
    public void fromPort(ByteBuf frame) {
        counters.framesFromPort.inc();
        if (frame.readableBytes() < MIN_FRAME) {
            counters.runtFrames.inc();
            frame.release();
            return;
        }
        int at = frame.readerIndex();
        if (frame.readableBytes() > overlayMtu + PacketTooBig.ETHERNET && PacketTooBig.ipLength(frame, at) > overlayMtu) {
            oversized.handle(frame);
            return;
        }
        if (malformedArp(frame)) {
            frame.release();
            return;
        }
        if (isArp(frame) && frame.getUnsignedShort(at + 20) == 1) {
            // The bridge answers requests for known addresses itself: what reaches the ring is for unknown ones.
            counters.arpRequestsFromPort.inc();
        }
        boolean group = (frame.getByte(at) & 1) != 0;
        if (group && multicast != null && multicast.fromPort(frame)) {
            return;
        }
        RingAddress site = group ? null : macs.site(mac(frame, at));
        if (site != null && ring.sendDirect(site, frame)) {
            counters.direct.inc();
            return;
        }
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.getBytes(at, bytes);
            if (site != null) {
                ring.unicast(site, bytes);
            } else {
                counters.floods.inc();
                ring.broadcast(bytes);
                if (!group) {
                    macs.lookUp(mac(frame, at));
                }
            }
        } finally {
            frame.release();
        }
    }

    /**
     * A TCP super-frame read from a port with offloads; ownership passes to this method. To a
     * linked site it leaves as segments in one send; otherwise it is cut here and each segment
     * goes the way of a frame.
     */
    public void fromPortSuperFrame(ByteBuf superFrame, VirtioNetHeader vnet) {
        counters.superFrames.inc();
        int at = superFrame.readerIndex();
        int l2 = PacketTooBig.l2Length(superFrame, at);
        int headers = TcpSegmenter.headerLength(superFrame);
        if (l2 > 0 && headers > l2 && headers - l2 + vnet.gsoSize() > overlayMtu) {
            // OVS sizes segments for the port's MTU (which takes what hosts at 1500 send); a TCP
            // byte stream may be cut anywhere, so cut it for the overlay instead.
            counters.resized.inc();
            vnet = new VirtioNetHeader(vnet.flags(), vnet.gsoType(), vnet.hdrLen(), overlayMtu - (headers - l2),
                    vnet.csumStart(), vnet.csumOffset());
        }
        cut(superFrame, vnet);
    }

    /** Sends a super-frame as segments of {@code vnet}'s size: in one send to a linked site, else one by one. Takes it. */
    private void cut(ByteBuf superFrame, VirtioNetHeader vnet) {
        int at = superFrame.readerIndex();
        RingAddress site = (superFrame.getByte(at) & 1) != 0 ? null : macs.site(mac(superFrame, at));
        if (site != null && ring.sendSegments(site, superFrame, vnet)) {
            return;
        }
        ByteBuf segments = alloc.directBuffer(superFrame.readableBytes() + 64 * (vnet.hdrLen() + WireFormat.HEADROOM));
        try {
            int size = TcpSegmenter.segment(superFrame, vnet, WireFormat.HEADROOM, 0, segments);
            if (size < 0) {
                counters.unsegmentable.inc();
                if (Long.bitCount(counters.unsegmentable.getLongValue()) == 1) {
                    log.warn("a super-frame that cannot be cut was dropped ({} bytes, {}; {} so far)",
                            superFrame.readableBytes(), vnet, counters.unsegmentable.getLongValue());
                }
                return;
            }
            while (segments.isReadable()) {
                int length = Math.min(size, segments.readableBytes());
                ByteBuf one = alloc.directBuffer(length + WireFormat.TAILROOM);
                one.writeBytes(segments, length).readerIndex(WireFormat.HEADROOM);
                fromPort(one);
            }
        } finally {
            segments.release();
            superFrame.release();
        }
    }

    /** A frame that came straight from a linked site; ownership passes to this method. */
    public void fromSite(RingAddress site, ByteBuf frame) {
        try {
            int at = frame.readerIndex();
            if (accept(site, frame.readableBytes(), frame.getByte(at + 6)) && !malformedArp(frame)) {
                macs.learn(mac(frame, at + 6), site);
                if ((frame.getByte(at) & 1) != 0 && multicast != null) {
                    multicast.fromRing(frame);
                }
                counters.framesToPort.inc();
                if (!port.write(frame)) {
                    counters.portWriteDrops.inc();
                }
            }
        } finally {
            frame.release();
        }
    }

    /**
     * An ARP frame (EtherType 0x0806, untagged) that is not IPv4 over Ethernet of full length (RFC
     * 826): dropped and counted, wherever it came from.
     */
    private boolean malformedArp(ByteBuf frame) {
        int at = frame.readerIndex();
        if (frame.getUnsignedShort(at + 12) != 0x0806 || isArp(frame)) {
            return false;
        }
        if (Long.bitCount(Metrics.incremented(counters.arpMalformed)) == 1) {
            log.warn("dropped a malformed ARP frame of {} bytes ({} so far)", frame.readableBytes(), counters.arpMalformed.getLongValue());
        }
        return true;
    }

    /** Whether the frame at its reader index is an untagged IPv4-over-Ethernet ARP packet (RFC 826). */
    static boolean isArp(ByteBuf frame) {
        int at = frame.readerIndex();
        return frame.readableBytes() >= 14 + 28 && frame.getUnsignedShort(at + 12) == 0x0806
                && frame.getUnsignedShort(at + 14) == 1 && frame.getUnsignedShort(at + 16) == 0x0800
                && frame.getUnsignedByte(at + 18) == 6 && frame.getUnsignedByte(at + 19) == 4;
    }

    /** Checks a frame from another site: long enough, and not from a group source MAC. */
    private boolean accept(RingAddress site, int length, byte firstSourceByte) {
        if (length < MIN_FRAME) {
            counters.runtFrames.inc();
            return false;
        }
        if ((firstSourceByte & 1) != 0) {
            if (Long.bitCount(Metrics.incremented(counters.groupSource)) == 1) {
                log.warn("dropped a frame from {} that claims a group source MAC ({} so far)", site.shortString(), counters.groupSource.getLongValue());
            }
            return false;
        }
        return true;
    }

    @Override
    public void delivered(RingMessage.Routed message) {
        toPort(message.from(), message.payload());
    }

    @Override
    public void broadcastDelivered(RingAddress origin, byte[] payload) {
        toPort(origin, payload);
    }

    private void toPort(RingAddress site, byte[] frame) {
        if (!accept(site, frame.length, frame.length > 6 ? frame[6] : 0)) {
            return;
        }
        macs.learn(mac(frame, 6), site);
        ByteBuf buf = alloc.directBuffer(frame.length);
        try {
            buf.writeBytes(frame);
            if (malformedArp(buf)) {
                return;
            }
            if ((frame[0] & 1) != 0 && multicast != null) {
                multicast.fromRing(buf);
            }
            counters.framesToPort.inc();
            if (!port.write(buf)) {
                counters.portWriteDrops.inc();
            }
        } finally {
            buf.release();
        }
    }

    /**
     * Forgets every MAC learnt at {@code site} (its certificate was revoked, issue 19), telling the
     * controller so that it removes their flows; frames for them are looked up afresh, and the
     * revoked site's directory records are refused.
     */
    public int forgetSite(RingAddress site) {
        return macs.forgetSite(site);
    }

    /** Forgets MACs not seen for the aging time (see {@link RemoteMacs#expire}); multicast's tick. */
    public void expire() {
        macs.expire();
        if (multicast != null) {
            multicast.tick();
        }
    }

    private static long mac(ByteBuf frame, int offset) {
        return (frame.getUnsignedShort(offset) & 0xffffL) << 32 | frame.getUnsignedInt(offset + 2);
    }

    private static long mac(byte[] frame, int offset) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (frame[offset + i] & 0xff);
        }
        return v;
    }

    public int remoteMacs() {
        return macs.size();
    }

    /** The remote MACs known now, for a controller that starts listening late. On the event loop. */
    public List<MacAddress> knownRemoteMacs() {
        return macs.known();
    }

    /** The ring side of multicast; null without multicast. */
    public NodeStatus.MulticastStats multicastStats() {
        return multicast == null ? null : multicast.stats();
    }

    /** The ring side of multicast from a scrape of the node's registry; null without multicast. */
    public NodeStatus.MulticastStats multicastStats(MetricsSnapshot scrape) {
        return multicast == null ? null : multicast.stats(scrape);
    }

    /** The status's frame section, from a scrape of the node's registry. */
    public static NodeStatus.FrameStats stats(MetricsSnapshot scrape) {
        return FrameCounters.stats(scrape);
    }

    /** The frame section from a scrape of the registry this forwarder counts in. */
    public NodeStatus.FrameStats stats() {
        return FrameCounters.stats(MetricsSnapshot.of(metrics));
    }
}
