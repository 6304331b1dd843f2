package io.ringswitch.controller.multicast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IGMP/MLD snooping and the querier on the bridge (RFC 4541), and one OpenFlow group per IP
 * group: membership messages from local ports come here (and go nowhere else), those from the
 * overlay port are dropped, so membership never crosses the ring. Each IP group with members
 * behind local ports leaves by a group of type ALL with a bucket per member port, plus one to
 * the overlay port while the {@link GroupDirectory} says other sites have members; since OVS
 * never sends a frame back out of its ingress port, the one group serves senders on local ports
 * and on the overlay port alike. This site's groups are published in the directory while they
 * have a member port. The groups on the switch are kept by a {@link GroupInstaller}; this class
 * snoops, queries and hands it each group's member ports. All calls come on the switch channel's
 * thread.
 */
public final class MulticastManager implements SwitchManager {
    private static final Logger log = LoggerFactory.getLogger(MulticastManager.class);
    /** RFC 3376 §8.8, RFC 3810 §9.8 and §9.9: last member query interval and count. */
    static final long LAST_MEMBER_MILLIS = 1_000;
    static final int LAST_MEMBER_COUNT = Querier.ROBUSTNESS;
    /** OpenFlow group ids of this manager: {@code FIRST_GROUP_ID} up to {@link GroupMembership#MAX_GROUPS} more. */
    public static final int FIRST_GROUP_ID = 0x4d43_0000;
    /** The priority of the MULTICAST-table flow of each IP group (to read its packet counts). */
    public static final int GROUP_FLOW_PRIORITY = MulticastFlows.GROUP;

    private final SwitchContext context;
    private final SwitchSettings.Multicast settings;
    private final byte[] mac;
    private final MulticastFlows flows;
    private final GroupMembership membership = new GroupMembership();
    private final Querier querier4;
    private final Querier querier6;
    private final GroupInstaller groups;
    private long reports;
    private long leaves;
    private long queriesSent;
    private long queriesHeard;
    private long malformed;
    private long refused;

    public MulticastManager(SwitchContext context, SwitchSettings settings, GroupDirectory directory) {
        this.context = context;
        this.settings = settings.multicast();
        this.mac = settings.siteMac().getBytes();
        this.flows = new MulticastFlows(context.factory());
        this.groups = new GroupInstaller(context, directory, flows);
        long now = context.nowMillis();
        long interval = this.settings.intervalSeconds() * 1000L;
        this.querier4 = new Querier(this.settings.querier(), interval, IgmpCodec.ANY, now);
        this.querier6 = new Querier(this.settings.querier(), interval, MldCodec.linkLocal(mac), now);
    }

    @Override
    public U64 cookie() {
        return Cookies.MULTICAST;
    }

    @Override
    public List<OFMessage> switchReady() {
        List<OFMessage> out = groups.begin();
        OFPort overlay = context.overlayPort();
        groups.overlay(overlay);
        out.addAll(flows.puntDrops());
        for (OFPort port : new TreeSet<>(context.localPorts())) {
            out.addAll(flows.punt(port));
        }
        out.addAll(flows.linkLocal());
        if (overlay != null) {
            out.addAll(flows.overlay(overlay));
        }
        groups.reinstall(out);
        return groups.end(out);
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        List<OFMessage> out = groups.begin();
        if (port.overlay()) {
            OFPort overlay = groups.overlay();
            if (overlay != null && !overlay.equals(port.number())) {
                out.addAll(flows.noOverlay(overlay));
            }
            groups.overlay(port.number());
            out.addAll(flows.overlay(port.number()));
            groups.rebucketOthers(out);
        } else {
            out.addAll(flows.punt(port.number()));
        }
        return groups.end(out);
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        List<OFMessage> out = groups.begin();
        if (port.number().equals(groups.overlay())) {
            out.addAll(flows.noOverlay(port.number()));
            groups.overlay(null);
            groups.rebucketOthers(out);
        } else {
            out.addAll(flows.unpunt(port.number()));
            membership.removePort(port.number());
            syncAll(out);
        }
        return groups.end(out);
    }

    @Override
    public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        if (inPort.equals(groups.overlay()) || !context.localPorts().contains(inPort)) {
            return List.of();
        }
        MembershipMessage message;
        try {
            message = decode(Unpooled.wrappedBuffer(frame));
        } catch (MembershipMessage.Malformed e) {
            if (Long.bitCount(++malformed) == 1) {
                log.warn("dropped a malformed IGMP/MLD message from port {}: {} ({} so far)", inPort, e.getMessage(),
                        malformed);
            }
            return List.of();
        }
        if (message == null) {
            return List.of();
        }
        List<OFMessage> out = groups.begin();
        long now = context.nowMillis();
        if (message instanceof MembershipMessage.Query q) {
            heard(q, inPort, frame, now, out);
        } else {
            report((MembershipMessage.Report) message, inPort, now, out);
        }
        return groups.end(out);
    }

    private static MembershipMessage decode(ByteBuf frame) throws MembershipMessage.Malformed {
        if (IgmpCodec.isIgmp(frame)) {
            return IgmpCodec.decode(frame);
        }
        int mld = MldCodec.mldOffset(frame);
        return mld < 0 ? null : MldCodec.decode(frame, mld);
    }

    /**
     * Another querier's query: a lower address silences ours, and the query goes on to the other
     * local ports so that their hosts answer it (RFC 4541 §2.1.1: queries reach every port).
     */
    private void heard(MembershipMessage.Query q, OFPort inPort, byte[] frame, long now, List<OFMessage> out) {
        queriesHeard++;
        (q.querier() instanceof Inet4Address ? querier4 : querier6).heard(q.querier(), now);
        Set<OFPort> others = new TreeSet<>(context.localPorts());
        others.remove(inPort);
        if (!others.isEmpty()) {
            out.add(flows.packetOut(frame, others));
        }
    }

    private void report(MembershipMessage.Report r, OFPort inPort, long now, List<OFMessage> out) {
        long membershipMillis = (r.reporter() instanceof Inet4Address ? querier4 : querier6).membershipMillis();
        Set<InetAddress> touched = new LinkedHashSet<>();
        for (InetAddress group : r.joined()) {
            if (GroupAddresses.linkLocal(group)) {
                continue;
            }
            reports++;
            if (membership.report(group, inPort, now, membershipMillis)) {
                touched.add(group);
            } else if (Long.bitCount(++refused) == 1) {
                log.warn("refused a join of {} on port {}: {} groups already ({} refused so far)", group.getHostAddress(),
                        inPort, GroupMembership.MAX_GROUPS, refused);
            }
        }
        for (InetAddress group : r.left()) {
            if (!GroupAddresses.linkLocal(group)) {
                leaves++;
                if (membership.leave(group, inPort, now, LAST_MEMBER_COUNT, LAST_MEMBER_MILLIS)) {
                    out.add(querySpecific(group, inPort));
                }
            }
        }
        for (InetAddress group : touched) {
            groups.sync(group, membership.ports(group), out);
        }
    }

    /** Once a second: general queries that are due, group-specific queries, ports whose time is up, directory answers to refresh. */
    @Override
    public List<OFMessage> tick() {
        List<OFMessage> out = groups.begin();
        long now = context.nowMillis();
        int interval = settings.intervalSeconds();
        Set<OFPort> ports = new TreeSet<>(context.localPorts());
        if (querier4.due(now) && !ports.isEmpty()) {
            out.add(send(IgmpCodec.query(UnpooledByteBufAllocator.DEFAULT, mac, null,
                    (int) (Querier.RESPONSE_MILLIS / 100), interval), ports));
        }
        if (querier6.due(now) && !ports.isEmpty()) {
            out.add(send(MldCodec.query(UnpooledByteBufAllocator.DEFAULT, mac, null, (int) Querier.RESPONSE_MILLIS,
                    interval), ports));
        }
        for (GroupMembership.Due due : membership.expire(now, LAST_MEMBER_MILLIS)) {
            out.add(querySpecific(due.group(), due.port()));
        }
        syncAll(out);
        groups.askDue(now);
        return groups.end(out);
    }

    /**
     * A group-specific query out of the port a leave came from (RFC 3376 §6.6.3.1). Sent even
     * while a router is the querier: the router never hears the leave, since reports stop here.
     */
    private OFMessage querySpecific(InetAddress group, OFPort port) {
        int interval = settings.intervalSeconds();
        ByteBuf query = group instanceof Inet4Address
                ? IgmpCodec.query(UnpooledByteBufAllocator.DEFAULT, mac, group, (int) (LAST_MEMBER_MILLIS / 100), interval)
                : MldCodec.query(UnpooledByteBufAllocator.DEFAULT, mac, group, (int) LAST_MEMBER_MILLIS, interval);
        return send(query, Set.of(port));
    }

    private OFMessage send(ByteBuf query, Set<OFPort> ports) {
        try {
            byte[] bytes = new byte[query.readableBytes()];
            query.getBytes(query.readerIndex(), bytes);
            queriesSent += ports.size();
            return flows.packetOut(bytes, ports);
        } finally {
            query.release();
        }
    }

    private void syncAll(List<OFMessage> out) {
        Set<InetAddress> all = new LinkedHashSet<>(groups.groups());
        all.addAll(membership.groups());
        for (InetAddress group : all) {
            groups.sync(group, membership.ports(group), out);
        }
    }

    /** The counters for status, by name (the record below, flattened; querier flags as 0 or 1). */
    @Override
    public Map<String, Long> counters() {
        MulticastCounters c = multicastCounters();
        Map<String, Long> named = new LinkedHashMap<>();
        named.put("igmp_mld_reports", c.reports());
        named.put("igmp_mld_leaves", c.leaves());
        named.put("igmp_mld_queries_sent", c.queriesSent());
        named.put("igmp_mld_queries_heard", c.queriesHeard());
        named.put("igmp_mld_malformed", c.malformed());
        named.put("multicast_groups_refused", c.refused());
        named.put("multicast_groups", (long) c.groups());
        named.put("multicast_member_ports", (long) c.memberPorts());
        named.put("igmp_querier", c.querier() ? 1L : 0L);
        named.put("mld_querier", c.querier6() ? 1L : 0L);
        return named;
    }

    /** The counters, and the groups and member ports now. */
    public MulticastCounters multicastCounters() {
        long now = context.nowMillis();
        return new MulticastCounters(reports, leaves, queriesSent, queriesHeard, malformed, refused, membership.size(),
                membership.memberPorts(), querier4.querier(now), querier6.querier(now));
    }

    /** The OpenFlow group id of each IP group installed now (to read group or flow stats by). */
    public Map<InetAddress, Integer> groupIds() {
        return groups.groupIds();
    }
}
