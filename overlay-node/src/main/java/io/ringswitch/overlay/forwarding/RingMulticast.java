package io.ringswitch.overlay.forwarding;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.controller.multicast.GroupAddresses;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring side of multicast: a frame from the port for an IP group that is not link-local goes to
 * the sites with members, as the directory lists them (one copy each, over the direct link where
 * there is one, routed otherwise). The answer is kept and asked again every {@link #REFRESH_MILLIS}
 * while the group is sent to; up to {@link #MAX_HELD} frames wait for the first answer, so that a
 * member gets the first packets too, within {@link #MAX_GROUP_HELD_BYTES} a group and
 * {@link #MAX_HELD_BYTES} for all (a host that sends to thousands of groups at once holds no more). No member elsewhere: nothing crosses the ring. A directory
 * that cannot list the sites (a full key, no answer) sends the group to every site, as are
 * link-local groups and group MACs that carry no IP multicast. Snooping, the querier and per-port
 * pruning are the switch controller's ({@code io.ringswitch.controller.multicast}): its flows keep
 * IGMP/MLD off the overlay port both ways, and hand it a group only while other sites have members.
 * Owned by the node's event loop.
 */
public final class RingMulticast {
    private static final Logger log = LoggerFactory.getLogger(RingMulticast.class);
    static final long REFRESH_MILLIS = 3_000;
    static final long IDLE_MILLIS = 30_000;
    /**
     * Frames held for one group while its first lookup runs, at most. The lookup is a DHT get over
     * the ring: tens of milliseconds, some hundreds on loaded cores. A host that sends 20 Mbit/s in
     * datagrams larger than the MTU sends about 3,600 frames a second; 64 frames (18 ms) lost the
     * first 228 frames of such a stream to every member in a lab on two loaded cores. 1,024 frames
     * cover about 280 ms of it.
     */
    static final int MAX_HELD = 1024;
    static final int MAX_GROUPS = 4096;
    /** Bytes of frames held for all groups, at most. */
    static final int MAX_HELD_BYTES = 4 << 20;
    /** Bytes of frames held for one group, at most: {@link #MAX_HELD} frames of the hosts' MTU (1,360). */
    static final int MAX_GROUP_HELD_BYTES = 1400 << 10;

    private static final class Group {
        MulticastDirectory.Members members;
        long askedAt;
        long sentAt;
        boolean asking;
        final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
        long heldBytes;
    }

    private final ByteBufAllocator alloc;
    private final LongSupplier clock;
    private final MulticastDirectory directory;
    private final RingAddress self;
    private final Supplier<FrameForwarder.Ring> ring;
    private final Map<InetAddress, Group> groups = new HashMap<>();
    /** Bytes of the frames held for all groups. */
    private long heldBytes;
    private static final String FRAMES = "ringswitch_multicast_frames_total";
    private static final String FRAMES_HELP = "IP multicast frames on the ring side: sent to member sites, copies, held, dropped, to every site, from the ring.";
    static final CounterKey TO_MEMBERS = CounterKey.of(FRAMES, FRAMES_HELP, "event", "to_members");
    static final CounterKey COPIES = CounterKey.of(FRAMES, FRAMES_HELP, "event", "copy_sent");
    static final CounterKey HELD = CounterKey.of(FRAMES, FRAMES_HELP, "event", "held");
    static final CounterKey HELD_DROPPED = CounterKey.of(FRAMES, FRAMES_HELP, "event", "held_dropped");
    static final CounterKey NO_MEMBERS = CounterKey.of(FRAMES, FRAMES_HELP, "event", "no_members");
    static final CounterKey TO_EVERY_SITE = CounterKey.of(FRAMES, FRAMES_HELP, "event", "to_every_site");
    static final CounterKey FROM_RING = CounterKey.of(FRAMES, FRAMES_HELP, "event", "from_ring");
    private final NodeMetrics metrics;
    private final CounterDataPoint fromRing;
    final CounterDataPoint framesToMembers;
    final CounterDataPoint copiesSent;
    final CounterDataPoint held;
    final CounterDataPoint heldDropped;
    final CounterDataPoint noMembers;
    final CounterDataPoint toEverySite;

    public RingMulticast(ByteBufAllocator alloc, LongSupplier clock, RingAddress self, MulticastDirectory directory,
                         Supplier<FrameForwarder.Ring> ring) {
        this(alloc, clock, self, directory, ring, NodeMetrics.inProcess());
    }

    /** Multicast that counts in the node's {@code metrics}. */
    public RingMulticast(ByteBufAllocator alloc, LongSupplier clock, RingAddress self, MulticastDirectory directory,
                         Supplier<FrameForwarder.Ring> ring, NodeMetrics metrics) {
        this.metrics = metrics;
        fromRing = FROM_RING.in(metrics);
        framesToMembers = TO_MEMBERS.in(metrics);
        copiesSent = COPIES.in(metrics);
        held = HELD.in(metrics);
        heldDropped = HELD_DROPPED.in(metrics);
        noMembers = NO_MEMBERS.in(metrics);
        toEverySite = TO_EVERY_SITE.in(metrics);
        this.alloc = alloc;
        this.clock = clock;
        this.directory = directory;
        this.self = self;
        this.ring = ring;
    }

    /**
     * A frame with a group destination MAC from the port. True when it was taken here (an IP
     * multicast packet for the member sites; the buffer with it); false when it goes to every site.
     */
    boolean fromPort(ByteBuf frame) {
        InetAddress group = GroupAddresses.ipGroup(frame);
        if (group == null || GroupAddresses.linkLocal(group)) {
            return false;
        }
        send(group, frame);
        return true;
    }

    /** A frame with a group destination MAC from the ring, on its way to the port: counted. */
    void fromRing(ByteBuf frame) {
        InetAddress group = GroupAddresses.ipGroup(frame);
        if (group != null && !GroupAddresses.linkLocal(group)) {
            fromRing.inc();
        }
    }

    /** The ring side's counters (snooping, the querier and per-port groups are the controller's). */
    public NodeStatus.MulticastStats stats() {
        return stats(MetricsSnapshot.of(metrics));
    }

    /** The status's multicast section, its counts from a scrape of the node's registry. */
    public NodeStatus.MulticastStats stats(MetricsSnapshot s) {
        return new NodeStatus.MulticastStats(groups.size(), s.get(TO_MEMBERS), s.get(COPIES), s.get(HELD),
                s.get(HELD_DROPPED), s.get(NO_MEMBERS), s.get(TO_EVERY_SITE), s.get(FROM_RING));
    }

    /** A frame for {@code group} from the port; takes the buffer. */
    private void send(InetAddress group, ByteBuf frame) {
        long now = clock.getAsLong();
        Group g = groups.get(group);
        if (g == null) {
            if (groups.size() >= MAX_GROUPS) {
                toEverySite.inc();
                broadcast(frame);
                return;
            }
            g = new Group();
            groups.put(group, g);
        }
        g.sentAt = now;
        if (!g.asking && (g.members == null || now - g.askedAt >= REFRESH_MILLIS)) {
            ask(group, g, now);
        }
        if (g.members == null) {
            int bytes = frame.readableBytes();
            if (g.held.size() >= MAX_HELD || g.heldBytes + bytes > MAX_GROUP_HELD_BYTES
                    || heldBytes + bytes > MAX_HELD_BYTES) {
                if (Long.bitCount(Metrics.incremented(heldDropped)) == 1) {
                    log.warn("dropped a frame for {} while its members are looked up: {} frames, {} bytes held for it, "
                            + "{} bytes for all groups ({} so far)", group.getHostAddress(), g.held.size(), g.heldBytes,
                            heldBytes, heldDropped.getLongValue());
                }
                frame.release();
            } else {
                held.inc();
                g.held.add(frame);
                g.heldBytes += bytes;
                heldBytes += bytes;
            }
            return;
        }
        forward(g.members, frame);
    }

    private void ask(InetAddress group, Group g, long now) {
        g.asking = true;
        g.askedAt = now;
        directory.lookup(group).whenComplete((members, error) -> {
            g.asking = false;
            g.members = members == null ? MulticastDirectory.Members.EVERY_SITE : members;
            if (groups.get(group) != g) {
                release(g);
                return;
            }
            while (!g.held.isEmpty()) {
                forward(g.members, take(g));
            }
        });
    }

    private void forward(MulticastDirectory.Members members, ByteBuf frame) {
        if (members.all()) {
            toEverySite.inc();
            broadcast(frame);
            return;
        }
        int count = 0;
        for (RingAddress site : members.sites()) {
            if (!site.equals(self)) {
                count++;
            }
        }
        if (count == 0) {
            noMembers.inc();
            frame.release();
            return;
        }
        framesToMembers.inc();
        byte[] bytes = null;
        int left = count;
        for (RingAddress site : members.sites()) {
            if (site.equals(self)) {
                continue;
            }
            // The transport writes headers and encrypts in place: every site gets a buffer of its own.
            ByteBuf copy = --left == 0 ? frame : copy(frame);
            copiesSent.inc();
            if (!ring.get().sendDirect(site, copy)) {
                if (bytes == null) {
                    bytes = new byte[copy.readableBytes()];
                    copy.getBytes(copy.readerIndex(), bytes);
                }
                ring.get().unicast(site, bytes);
                copy.release();
            }
        }
    }

    private ByteBuf copy(ByteBuf frame) {
        int length = frame.readableBytes();
        ByteBuf c = alloc.directBuffer(WireFormat.HEADROOM + length + WireFormat.TAILROOM);
        c.writerIndex(WireFormat.HEADROOM).readerIndex(WireFormat.HEADROOM);
        c.writeBytes(frame, frame.readerIndex(), length);
        return c;
    }

    private void broadcast(ByteBuf frame) {
        try {
            byte[] bytes = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), bytes);
            ring.get().broadcast(bytes);
        } finally {
            frame.release();
        }
    }

    /** Once a second or so: forgets groups not sent to for {@link #IDLE_MILLIS}. */
    public void tick() {
        long now = clock.getAsLong();
        groups.values().removeIf(g -> {
            if (now - g.sentAt < IDLE_MILLIS) {
                return false;
            }
            release(g);
            return true;
        });
    }

    private void release(Group g) {
        while (!g.held.isEmpty()) {
            take(g).release();
        }
    }

    /** The next frame held for {@code g}, its bytes no longer counted as held. */
    private ByteBuf take(Group g) {
        ByteBuf frame = g.held.poll();
        g.heldBytes -= frame.readableBytes();
        heldBytes -= frame.readableBytes();
        return frame;
    }


    /** Bytes of the frames held now, and the most held for any one group. */
    long[] heldBytesNow() {
        long total = 0;
        long most = 0;
        for (Group g : groups.values()) {
            long bytes = g.held.stream().mapToLong(ByteBuf::readableBytes).sum();
            total += bytes;
            most = Math.max(most, bytes);
        }
        return new long[] {total, most};
    }

    int heldNow() {
        return groups.values().stream().mapToInt(g -> g.held.size()).sum();
    }
}
