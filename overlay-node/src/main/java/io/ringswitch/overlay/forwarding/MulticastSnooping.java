package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multicast at a site: IGMP and MLD snooping of the frames from the port (which hosts are members
 * of which group, published per site through the {@link MulticastDirectory}), the site's querier
 * when its LAN has none, and IP multicast to the sites with members only ({@link
 * MulticastForwarder}). Membership messages never cross the ring, in either direction.
 * Link-local groups (224.0.0.0/24, scopes ff01 and ff02) and group MACs that carry no IP
 * multicast go to every site as before. Owned by the node's event loop.
 */
public final class MulticastSnooping {
    private static final Logger log = LoggerFactory.getLogger(MulticastSnooping.class);
    /** RFC 3376 §8.8, RFC 3810 §9.8 and §9.9: last member query interval and count. */
    static final long LAST_MEMBER_MILLIS = 1_000;
    static final int LAST_MEMBER_COUNT = Querier.ROBUSTNESS;

    /**
     * @param querier       whether this node may query its LAN when no other querier is heard
     * @param intervalMillis the query interval (RFC 3376 §8.2: 125 s by default)
     */
    public record Settings(boolean querier, long intervalMillis) {
        public static Settings defaults() {
            return new Settings(true, 125_000);
        }
    }

    private final ByteBufAllocator alloc;
    private final LongSupplier clock;
    private final byte[] mac;
    private final Settings settings;
    private final GroupMembership membership;
    private final Querier querier4;
    private final Querier querier6;
    private final MulticastForwarder forwarder;
    private FrameForwarder.Port port;
    private long queriesSent;
    private long reports;
    private long leaves;
    private long malformed;
    private long otherQueries;
    private long fromRing;
    private long membershipFromRing;

    /** @param mac the node's own MAC, the source of its queries (and of its IPv6 link-local address) */
    public MulticastSnooping(ByteBufAllocator alloc, LongSupplier clock, byte[] mac, RingAddress self,
                             MulticastDirectory directory, Settings settings, Supplier<FrameForwarder.Ring> ring) {
        this.alloc = alloc;
        this.clock = clock;
        this.mac = mac.clone();
        this.settings = settings;
        this.membership = new GroupMembership(new GroupMembership.Listener() {
            @Override
            public void firstMember(InetAddress group) {
                directory.join(group);
            }

            @Override
            public void lastMemberGone(InetAddress group) {
                directory.leave(group);
            }
        });
        long now = clock.getAsLong();
        this.querier4 = new Querier(settings.querier(), settings.intervalMillis(), IgmpCodec.ANY, now);
        this.querier6 = new Querier(settings.querier(), settings.intervalMillis(), MldCodec.linkLocal(mac), now);
        this.forwarder = new MulticastForwarder(alloc, clock, directory, self, ring);
    }

    /** A MAC for a node: locally administered, from its ring address. */
    public static byte[] macOf(RingAddress address) {
        byte[] a = address.toBytes();
        return new byte[] {0x02, a[0], a[1], a[2], a[3], a[4]};
    }

    void connect(FrameForwarder.Port port) {
        this.port = port;
    }

    /**
     * A frame with a group destination MAC from the port. True when it was taken here (a
     * membership message, or an IP multicast packet sent to member sites); false when it goes to
     * every site as before.
     */
    boolean fromPort(ByteBuf frame) {
        MembershipMessage message;
        try {
            message = membershipMessage(frame);
        } catch (MembershipMessage.Malformed e) {
            if (Long.bitCount(++malformed) == 1) {
                log.warn("dropped a malformed IGMP/MLD message from the port: {} ({} so far)", e.getMessage(), malformed);
            }
            frame.release();
            return true;
        }
        if (message != null) {
            handle(message);
            frame.release();
            return true;
        }
        InetAddress group = ipGroup(frame);
        if (group == null || linkLocal(group)) {
            return false;
        }
        forwarder.send(group, frame);
        return true;
    }

    /**
     * A frame with a group destination MAC from the ring: false for a membership message (a query
     * from elsewhere must not reach this LAN, nor a report that should not have left its own).
     */
    boolean fromRing(ByteBuf frame) {
        try {
            if (membershipMessage(frame) != null) {
                membershipFromRing++;
                return false;
            }
        } catch (MembershipMessage.Malformed e) {
            membershipFromRing++;
            return false;
        }
        InetAddress group = ipGroup(frame);
        if (group != null && !linkLocal(group)) {
            fromRing++;
        }
        return true;
    }

    private static MembershipMessage membershipMessage(ByteBuf frame) throws MembershipMessage.Malformed {
        if (IgmpCodec.isIgmp(frame)) {
            return IgmpCodec.decode(frame);
        }
        int mld = MldCodec.mldOffset(frame);
        return mld < 0 ? null : MldCodec.decode(frame, mld);
    }

    private void handle(MembershipMessage message) {
        long now = clock.getAsLong();
        if (message instanceof MembershipMessage.Query q) {
            otherQueries++;
            (q.querier() instanceof Inet4Address ? querier4 : querier6).heard(q.querier(), now);
            return;
        }
        MembershipMessage.Report r = (MembershipMessage.Report) message;
        Querier q = r.reporter() instanceof Inet4Address ? querier4 : querier6;
        for (InetAddress group : r.joined()) {
            if (!linkLocal(group)) {
                reports++;
                membership.report(group, r.reporter(), now, q.membershipMillis());
            }
        }
        for (InetAddress group : r.left()) {
            if (!linkLocal(group)) {
                leaves++;
                if (membership.leave(group, r.reporter(), now, LAST_MEMBER_COUNT, LAST_MEMBER_MILLIS)) {
                    querySpecific(group, now);
                }
            }
        }
    }

    /** Once a second or so: queries that are due, members whose time is up, groups idle for long. */
    public void tick() {
        long now = clock.getAsLong();
        if (querier4.due(now)) {
            send(IgmpCodec.query(alloc, mac, null, (int) (Querier.RESPONSE_MILLIS / 100),
                    (int) (settings.intervalMillis() / 1000)));
        }
        if (querier6.due(now)) {
            send(MldCodec.query(alloc, mac, null, (int) Querier.RESPONSE_MILLIS, (int) (settings.intervalMillis() / 1000)));
        }
        for (InetAddress group : membership.expire(now, LAST_MEMBER_MILLIS)) {
            querySpecific(group, now);
        }
        forwarder.expire();
    }

    /** A group-specific query, sent when this node is its LAN's querier (RFC 3376 §6.6.3.1). */
    private void querySpecific(InetAddress group, long now) {
        if (group instanceof Inet4Address) {
            if (querier4.querier(now)) {
                send(IgmpCodec.query(alloc, mac, group, (int) (LAST_MEMBER_MILLIS / 100), (int) (settings.intervalMillis() / 1000)));
            }
        } else if (querier6.querier(now)) {
            send(MldCodec.query(alloc, mac, group, (int) LAST_MEMBER_MILLIS, (int) (settings.intervalMillis() / 1000)));
        }
    }

    private void send(ByteBuf query) {
        try {
            if (port != null && port.write(query)) {
                queriesSent++;
            }
        } finally {
            query.release();
        }
    }

    /** The IP multicast group an untagged frame is sent to, null when it carries none. */
    static InetAddress ipGroup(ByteBuf frame) {
        int at = frame.readerIndex();
        int type = frame.readableBytes() >= 14 ? frame.getUnsignedShort(at + 12) : 0;
        if (type == 0x0800 && frame.readableBytes() >= 14 + 20 && (frame.getUnsignedByte(at + 14) >> 4) == 4) {
            int dst = frame.getInt(at + 14 + 16);
            return (dst >>> 28) == 0xe ? IgmpCodec.v4(dst) : null;
        }
        if (type == 0x86dd && frame.readableBytes() >= 14 + 40 && frame.getUnsignedByte(at + 14 + 24) == 0xff) {
            byte[] dst = new byte[16];
            frame.getBytes(at + 14 + 24, dst);
            return MldCodec.v6(dst);
        }
        return null;
    }

    /** 224.0.0.0/24 (RFC 5771 §4), and IPv6 interface- and link-local scopes (RFC 4291 §2.7). */
    static boolean linkLocal(InetAddress group) {
        byte[] a = group.getAddress();
        if (a.length == 4) {
            return (a[0] & 0xff) == 224 && a[1] == 0 && a[2] == 0;
        }
        return (a[1] & 0x0f) <= 2;
    }

    public NodeStatus.MulticastStats stats() {
        long now = clock.getAsLong();
        return new NodeStatus.MulticastStats(membership.size(), querier4.querier(now), querier6.querier(now), queriesSent,
                otherQueries, reports, leaves, malformed, forwarder.framesToMembers, forwarder.copiesSent, forwarder.held,
                forwarder.heldDropped, forwarder.noMembers, forwarder.toEverySite, fromRing, membershipFromRing);
    }
}
