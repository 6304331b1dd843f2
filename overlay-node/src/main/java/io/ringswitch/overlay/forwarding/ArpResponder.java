package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.ringswitch.overlay.ring.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * ARP suppression (RFC 826 frames, IPv4 over Ethernet, untagged): the node learns which IPv4
 * address has which MAC from the ARP traffic it sees (its own hosts' from the port, remote hosts'
 * from the ring, gratuitous ARP included), publishes its own hosts in the directory (the DHT), and
 * answers ARP requests from its hosts for addresses it knows at once, as the target would. A miss
 * waits briefly for the directory and is answered from it; what the directory does not know goes
 * out as a ring broadcast, at most {@link #BROADCASTS_PER_SECOND} a second (bursts of as many): a
 * flood of requests for unknown addresses stops here, not in every site. Owned by the node's event
 * loop.
 */
public final class ArpResponder {
    static final int ARP_LENGTH = 28;
    static final long CACHE_MILLIS = 60_000;
    static final double BROADCASTS_PER_SECOND = 20;
    static final int MAX_ENTRIES = 16_384;
    /** How long a request for an unknown address waits for the directory before it goes over the ring. */
    static final long HOLD_MILLIS = 150;
    static final int MAX_HELD = 256;
    /** After the directory did not know an address, requests for it go over the ring at once for this long. */
    static final long UNKNOWN_MILLIS = 5_000;
    /** A host of this site not heard (no ARP from it) for this long is withdrawn from the directory. */
    static final long LOCAL_FORGET_MILLIS = 600_000;

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
    private final Scheduler timer;
    private final Directory directory;
    private final Map<Integer, Entry> remote = lru();
    /** This site's hosts; one that leaves the table (unheard for long, or pushed out) is withdrawn from the directory. */
    private final Map<Integer, Entry> local = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Entry> eldest) {
            if (size() > MAX_ENTRIES) {
                directory.withdraw(eldest.getKey());
                return true;
            }
            return false;
        }
    };
    private final Map<Integer, Long> lookingUp = new HashMap<>();
    private final Map<Integer, List<byte[]>> held = new HashMap<>();
    private final Map<Integer, Long> unknown = lru();
    private Consumer<byte[]> broadcaster;
    private FrameForwarder.Port port;
    long heldCount;
    private double tokens = BROADCASTS_PER_SECOND;
    private long tokensAt;
    long answered;
    long answeredHere;
    long broadcast;
    long rateLimited;

    public ArpResponder(ByteBufAllocator alloc, Scheduler timer, Directory directory) {
        this.alloc = alloc;
        this.timer = timer;
        this.clock = timer::nowMillis;
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
            return hold(frame, target, senderIp, port);
        }
        answer(frame, target, e.mac, port);
        return true;
    }

    private void answer(ByteBuf request, int target, byte[] mac, FrameForwarder.Port port) {
        ByteBuf reply = reply(alloc, request, target, mac);
        try {
            port.write(reply);
        } finally {
            reply.release();
        }
        answered++;
    }

    /**
     * A broadcast request for an address not known here waits up to {@link #HOLD_MILLIS} for the
     * directory: answered here if it knows the address, sent over the ring (rate-limited) if not or
     * if it is slow. Returns false (not held: the caller sends it on) without a way to broadcast
     * later, for a unicast request, while the directory recently did not know the address, or
     * with too many held already.
     */
    private boolean hold(ByteBuf frame, int target, int senderIp, FrameForwarder.Port port) {
        long now = clock.getAsLong();
        Long unknownUntil = unknown.get(target);
        boolean broadcastRequest = frame.getByte(frame.readerIndex()) == -1;
        if (unknownUntil != null && unknownUntil > now) {
            return false;
        }
        if (broadcaster == null || !broadcastRequest || target == senderIp) {
            lookUp(target);
            return false;
        }
        List<byte[]> requests = held.get(target);
        boolean first = requests == null;
        if (first) {
            if (held.size() >= MAX_HELD) {
                return false;
            }
            requests = new ArrayList<>(2);
            held.put(target, requests);
        }
        if (requests.size() < 4) {
            byte[] copy = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), copy);
            requests.add(copy);
            heldCount++;
        }
        this.port = port;
        if (first) {
            timer.schedule(HOLD_MILLIS, () -> release(target, null));
            directory.lookup(target).whenComplete((found, error) -> {
                if (found == null) {
                    unknown.put(target, clock.getAsLong() + UNKNOWN_MILLIS);
                } else if (!local.containsKey(target)) {
                    remote.put(target, new Entry(found.mac(), clock.getAsLong() + CACHE_MILLIS));
                }
                release(target, found);
            });
        }
        return true;
    }

    /** The directory answered (or took too long): answer the held requests, or send them over the ring. */
    private void release(int target, Located found) {
        List<byte[]> requests = held.remove(target);
        if (requests == null) {
            return;
        }
        for (byte[] request : requests) {
            if (found != null && !local.containsKey(target)) {
                ByteBuf r = Unpooled.wrappedBuffer(request);
                answer(r, target, found.mac(), port);
            } else if (mayBroadcast()) {
                broadcaster.accept(request);
            }
        }
    }

    /**
     * Stops publishing hosts of this site not heard for {@link #LOCAL_FORGET_MILLIS} (they left,
     * or their address went to someone else), so the directory does not keep naming this site.
     */
    void expire() {
        long now = clock.getAsLong();
        local.entrySet().removeIf(e -> {
            if (e.getValue().expires + LOCAL_FORGET_MILLIS - CACHE_MILLIS < now) {
                directory.withdraw(e.getKey());
                return true;
            }
            return false;
        });
    }

    /** Where requests that the directory could not answer go: the ring's broadcast (set by the forwarder). */
    void connect(Consumer<byte[]> broadcaster) {
        this.broadcaster = broadcaster;
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
