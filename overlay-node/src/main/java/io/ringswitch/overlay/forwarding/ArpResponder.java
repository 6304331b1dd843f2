package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * ARP suppression (RFC 826 frames, IPv4 over Ethernet, untagged): the node learns which IPv4
 * address has which MAC from the ARP traffic it sees (its own hosts' from the port, remote hosts'
 * from the ring, gratuitous ARP included), publishes its own hosts in the directory (the DHT), and
 * answers ARP requests from its hosts for addresses it knows at once, as the target would. A miss
 * is looked up in the directory for next time and goes out as a ring broadcast, at most
 * {@link #BROADCASTS_PER_SECOND} a second (bursts of as many): a flood of requests for unknown
 * addresses stops here, not in every site. Owned by the node's event loop.
 */
public final class ArpResponder {
    static final int ARP_LENGTH = 28;
    static final long CACHE_MILLIS = 60_000;
    static final double BROADCASTS_PER_SECOND = 20;
    static final int MAX_ENTRIES = 16_384;

    /** Where the node's hosts are published and others' looked up: IPv4 address to (site, MAC). */
    public interface Directory {
        void publish(int ip, byte[] mac);

        /** The host left this site (it answered from another): stop publishing it. */
        void withdraw(int ip);

        /** The site and MAC of {@code ip}, or a future of null when the directory has none. */
        CompletableFuture<Located> lookup(int ip);
    }

    /** A host: the site it sits behind and its MAC. */
    public record Located(RingAddress site, byte[] mac) {
    }

    private record Entry(byte[] mac, long expires) {
    }

    private final ByteBufAllocator alloc;
    private final LongSupplier clock;
    private final Directory directory;
    private final Map<Integer, Entry> remote = lru();
    private final Map<Integer, Entry> local = lru();
    private final Map<Integer, Long> lookingUp = new HashMap<>();
    private double tokens = BROADCASTS_PER_SECOND;
    private long tokensAt;
    long answered;
    long answeredHere;
    long broadcast;
    long rateLimited;

    public ArpResponder(ByteBufAllocator alloc, LongSupplier clock, Directory directory) {
        this.alloc = alloc;
        this.clock = clock;
        this.directory = directory;
        this.tokensAt = clock.getAsLong();
    }

    private static <V> Map<Integer, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }

    /** Whether the frame at its reader index is an untagged IPv4-over-Ethernet ARP packet. */
    static boolean isArp(ByteBuf frame) {
        int at = frame.readerIndex();
        return frame.readableBytes() >= 14 + ARP_LENGTH && frame.getUnsignedShort(at + 12) == 0x0806
                && frame.getUnsignedShort(at + 14) == 1 && frame.getUnsignedShort(at + 16) == 0x0800
                && frame.getUnsignedByte(at + 18) == 6 && frame.getUnsignedByte(at + 19) == 4;
    }

    /**
     * An ARP frame from the port: its sender is one of this site's hosts (published when new or
     * moved here). A request for an address this node knows is answered through {@code port};
     * true when it was, and the request goes no further.
     */
    boolean fromPort(ByteBuf frame, FrameForwarder.Port port) {
        int arp = frame.readerIndex() + 14;
        int senderIp = frame.getInt(arp + 14);
        byte[] senderMac = mac(frame, arp + 8);
        long now = clock.getAsLong();
        if (senderIp != 0) {
            Entry before = local.put(senderIp, new Entry(senderMac, now + CACHE_MILLIS));
            if (before == null || !Arrays.equals(before.mac, senderMac)) {
                remote.remove(senderIp);
                directory.publish(senderIp, senderMac);
            }
        }
        if (frame.getUnsignedShort(arp + 6) != 1) {
            return false;
        }
        int target = frame.getInt(arp + 24);
        Entry here = local.get(target);
        if (here != null && here.expires >= now && target != senderIp) {
            // A host of this site: it answers itself over the bridge; nothing to send to the ring.
            answeredHere++;
            return true;
        }
        Entry e = remote.get(target);
        if (e == null || e.expires < now) {
            lookUp(target);
            return false;
        }
        ByteBuf reply = reply(alloc, frame, target, e.mac);
        try {
            port.write(reply);
        } finally {
            reply.release();
        }
        answered++;
        return true;
    }

    /** An ARP frame from a site: its sender lives there. */
    void fromSite(ByteBuf frame) {
        int arp = frame.readerIndex() + 14;
        int senderIp = frame.getInt(arp + 14);
        if (senderIp == 0) {
            return;
        }
        if (local.remove(senderIp) != null) {
            directory.withdraw(senderIp);
        }
        remote.put(senderIp, new Entry(mac(frame, arp + 8), clock.getAsLong() + CACHE_MILLIS));
    }

    /** A request that could not be answered may go out over the ring: a token bucket says. */
    boolean mayBroadcast() {
        long now = clock.getAsLong();
        tokens = Math.min(BROADCASTS_PER_SECOND, tokens + (now - tokensAt) / 1000.0 * BROADCASTS_PER_SECOND);
        tokensAt = now;
        if (tokens < 1) {
            rateLimited++;
            return false;
        }
        tokens--;
        broadcast++;
        return true;
    }

    private void lookUp(int ip) {
        long now = clock.getAsLong();
        Long since = lookingUp.get(ip);
        if (since != null && now - since < 5_000 || lookingUp.size() >= 1024) {
            return;
        }
        lookingUp.put(ip, now);
        directory.lookup(ip).whenComplete((found, error) -> {
            lookingUp.remove(ip);
            if (found != null && !local.containsKey(ip)) {
                remote.put(ip, new Entry(found.mac(), clock.getAsLong() + CACHE_MILLIS));
            }
        });
    }

    /** The reply the target would send: to the requester, from the target's MAC (RFC 826). */
    static ByteBuf reply(ByteBufAllocator alloc, ByteBuf request, int targetIp, byte[] targetMac) {
        int arp = request.readerIndex() + 14;
        ByteBuf r = alloc.directBuffer(60);
        r.writeBytes(request, arp + 8, 6).writeBytes(targetMac).writeShort(0x0806);
        r.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(2);
        r.writeBytes(targetMac).writeInt(targetIp);
        r.writeBytes(request, arp + 8, 10);
        r.writeZero(60 - r.writerIndex());
        return r;
    }

    private static byte[] mac(ByteBuf frame, int at) {
        byte[] m = new byte[6];
        frame.getBytes(at, m);
        return m;
    }
}
