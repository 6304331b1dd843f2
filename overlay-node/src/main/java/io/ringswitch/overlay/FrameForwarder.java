package io.ringswitch.overlay;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where an Ethernet frame goes between the overlay port and the other sites: learns which
 * site each remote MAC lives at from the frames that arrive, sends unicast to that site, and sends
 * broadcast, multicast and unknown unicast to every site. Pure logic over two small output
 * interfaces, driven by one thread (the node's event loop) and by the time it is given.
 */
final class FrameForwarder {
    private static final Logger log = LoggerFactory.getLogger(FrameForwarder.class);
    static final long MAC_AGING_MILLIS = 300_000;
    static final int MAX_MACS = 65_536;

    /** Where datagrams go; takes ownership of the buffer. */
    interface Links {
        void send(InetSocketAddress to, ByteBuf datagram);

        void flush();
    }

    /** The overlay port; does not take ownership. */
    interface Port {
        boolean write(ByteBuf frame);
    }

    private static final class MacEntry {
        Peer peer;
        long seenMillis;
    }

    private final Links links;
    private final Port port;
    private final Map<InetSocketAddress, Peer> peers = new LinkedHashMap<>();
    private final LongObjectMap<MacEntry> macs = new LongObjectHashMap<>();
    private final Map<WireFormat.Reject, Long> rejects = new EnumMap<>(WireFormat.Reject.class);
    private long framesFromPort;
    private long framesToPort;
    private long portWriteDrops;
    private long floods;
    private long unknownSender;
    private long groupSource;

    FrameForwarder(Links links, Port port, List<InetSocketAddress> staticPeers) {
        this.links = links;
        this.port = port;
        for (InetSocketAddress address : staticPeers) {
            peers.put(address, new Peer(address));
        }
    }

    /**
     * A frame read from the overlay port. {@code buf} holds {@link WireFormat#HEADER_LENGTH} bytes
     * of headroom at index 0 and the frame after it; ownership passes to this method.
     */
    void fromPort(ByteBuf buf) {
        framesFromPort++;
        int frameStart = WireFormat.HEADER_LENGTH;
        int frameLength = buf.writerIndex() - frameStart;
        WireFormat.setHeader(buf, 0, WireFormat.TYPE_FRAME, frameLength);
        buf.readerIndex(0);
        long dst = buf.getUnsignedMedium(frameStart) << 24 | buf.getUnsignedMedium(frameStart + 3);
        boolean group = (buf.getByte(frameStart) & 1) != 0;
        MacEntry entry = group ? null : macs.get(dst);
        if (entry != null) {
            entry.peer.framesSent++;
            links.send(entry.peer.address, buf);
        } else if (peers.isEmpty()) {
            buf.release();
        } else {
            floods++;
            Iterator<Peer> it = peers.values().iterator();
            while (it.hasNext()) {
                Peer peer = it.next();
                peer.framesSent++;
                links.send(peer.address, it.hasNext() ? buf.retainedDuplicate() : buf);
            }
        }
        links.flush();
    }

    /** A datagram from the underlay; the caller keeps ownership. */
    void fromLink(InetSocketAddress sender, ByteBuf datagram, long nowMillis) {
        int type = WireFormat.decode(datagram);
        if (type < 0) {
            WireFormat.Reject reason = WireFormat.reason(type);
            long count = rejects.merge(reason, 1L, Long::sum);
            if (Long.bitCount(count) == 1) {
                log.warn("rejected a datagram from {}: {} ({} so far)", sender, reason, count);
            }
            return;
        }
        Peer peer = peers.get(sender);
        if (peer == null) {
            if (Long.bitCount(++unknownSender) == 1) {
                log.warn("dropped a datagram from {}, which is not a peer ({} so far)", sender, unknownSender);
            }
            return;
        }
        if (peer.lastHeardMillis == Long.MIN_VALUE) {
            log.info("link to {} is up", sender);
        }
        peer.lastHeardMillis = nowMillis;
        if (type == WireFormat.TYPE_HELLO) {
            peer.name = datagram.toString(StandardCharsets.UTF_8);
            return;
        }
        int start = datagram.readerIndex();
        if ((datagram.getByte(start + 6) & 1) != 0) {
            groupSource++;
            return;
        }
        peer.framesReceived++;
        long src = datagram.getUnsignedMedium(start + 6) << 24 | datagram.getUnsignedMedium(start + 9);
        learn(src, peer, nowMillis);
        framesToPort++;
        if (!port.write(datagram)) {
            portWriteDrops++;
        }
    }

    private void learn(long mac, Peer peer, long nowMillis) {
        MacEntry entry = macs.get(mac);
        if (entry == null) {
            if (macs.size() >= MAX_MACS) {
                return;
            }
            entry = new MacEntry();
            macs.put(mac, entry);
        }
        entry.peer = peer;
        entry.seenMillis = nowMillis;
    }

    /** Periodic work: HELLO to every peer, and forgetting MACs not seen for the aging time. */
    void tick(long nowMillis, byte[] nodeName, Supplier<ByteBuf> allocator) {
        for (Peer peer : peers.values()) {
            ByteBuf hello = allocator.get();
            WireFormat.writeHello(hello, nodeName);
            links.send(peer.address, hello);
        }
        links.flush();
        macs.values().removeIf(entry -> nowMillis - entry.seenMillis > MAC_AGING_MILLIS);
    }

    List<Peer> peers() {
        return new ArrayList<>(peers.values());
    }

    int remoteMacs() {
        return macs.size();
    }

    Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("framesFromPort", framesFromPort);
        out.put("framesToPort", framesToPort);
        out.put("floods", floods);
        out.put("portWriteDrops", portWriteDrops);
        out.put("unknownSender", unknownSender);
        out.put("groupSourceDropped", groupSource);
        for (WireFormat.Reject reason : WireFormat.Reject.values()) {
            out.put("reject." + reason.name(), rejects.getOrDefault(reason, 0L));
        }
        return out;
    }
}
