package io.ringswitch.controller.arp;

import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.api.SiteDirectory.Located;
import io.ringswitch.controller.hosts.HostListener;
import io.ringswitch.controller.packet.ArpCodec;
import io.ringswitch.controller.packet.ArpPacket;
import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.packet.NdCodec;
import io.ringswitch.controller.packet.NdMessage;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FloodGroup;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.Tables;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.projectfloodlight.openflow.types.U8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ARP and IPv6 neighbour discovery answered by the switch (table PUNT). Every IPv4 address the site
 * knows, local bound hosts and remote hosts the directory answered for, has a responder flow
 * ({@link ArpReplyFlows}) that answers requests from any port, the overlay port included, in the
 * datapath. Requests for other addresses reach the controller under the ingress port's packet-in
 * meter: the directory is asked, and a known address gets its flow and an answer by PACKET_OUT, an
 * unknown one is flooded (rate-limited) so that local hosts not yet known and the ring get it.
 * Neighbour solicitations always come to the controller, which answers with an advertisement it
 * builds (RFC 4861 §7.2.4), because OVS cannot recompute the ICMPv6 checksum of a rewritten
 * solicitation. A request from the port that owns the address (an RFC 5227 probe, DAD) is never
 * answered: the host would take its own address for a duplicate.
 */
public final class ArpNdResponder implements SwitchManager, HostListener {
    private static final Logger log = LoggerFactory.getLogger(ArpNdResponder.class);
    /** A request from the owner's own port for its address goes on unanswered. */
    public static final int OWNER_PASS = 310;
    /** Responder flows; their packet counts are "arp_answered_in_datapath". */
    public static final int RESPONDER = 300;
    /** Per port: requests and solicitations the flows above do not answer go to the controller. */
    public static final int MISS = 100;
    /** The responder flows' sub-cookie (packet-ins never come from them). */
    public static final U64 RESPONDER_COOKIE = Cookies.sub(Cookies.ARP_ND, 1);
    static final int REMOTE_IDLE_SECONDS = 300;
    /** A remote host's flow is dropped even while used, so that a host that moved is looked up again. */
    static final int REMOTE_HARD_SECONDS = 1800;
    static final int FLOODS_PER_SECOND = 20;
    static final int MAX_PENDING = 1024;
    static final int MAX_WAITING = 8;
    /** A directory lookup unanswered this long is given up; the next request asks again. */
    static final long LOOKUP_GIVE_UP_MILLIS = 10_000;
    /** How long after flooding a request for an unknown address the directory is asked again. */
    static final long RECHECK_MILLIS = 1_000;

    private final SwitchContext ctx;
    private final SiteDirectory directory;
    private final Flows flows;
    private final Flows responders;
    private final FloodBudget budget;
    private final Map<InetAddress, Known> known = new HashMap<>();
    private final Map<InetAddress, List<Waiting>> pending = new HashMap<>();
    /** When each pending lookup was asked: a lookup that never answers is given up (its slot is not lost). */
    private final Map<InetAddress, Long> askedAt = new HashMap<>();
    /**
     * Addresses flooded because nobody had published them, and when to ask the directory again: the
     * host that answers the flood is usually bound at its site a moment later, and from then on its
     * address is answered by a responder flow here.
     */
    private final Map<InetAddress, Long> recheck = new LinkedHashMap<>();
    private long lookupsGivenUp;
    private long learnedAfterFlood;
    private long answeredByController;
    private long arpFlooded;
    private long ndFlooded;
    private long rateLimited;
    private long ndAnswered;
    private long malformed;

    /** An address and its MAC: on a local port, or remote (port null) until {@code expiresAt}. */
    private record Known(MacAddress mac, OFPort port, long expiresAt) {
    }

    /** A request that waits for the directory's answer. */
    private record Waiting(OFPort port, byte[] frame, ArpPacket arp, NdMessage nd) {
    }

    /** Counters for the node's status (the datapath's answers are the responder flows' packet counts). */
    public record Counters(long arpAnsweredByController, long arpFlooded, long arpRateLimited, long ndAnswered,
                           long ndFlooded, long malformed) {
    }

    public ArpNdResponder(SwitchContext ctx, SiteDirectory directory) {
        this.ctx = ctx;
        this.directory = directory;
        this.flows = new Flows(ctx.factory(), Cookies.ARP_ND);
        this.responders = new Flows(ctx.factory(), RESPONDER_COOKIE);
        this.budget = new FloodBudget(FLOODS_PER_SECOND, ctx.nowMillis());
    }

    public Counters stats() {
        return new Counters(answeredByController, arpFlooded, rateLimited, ndAnswered, ndFlooded, malformed);
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of("arp_answered_by_controller", answeredByController, "arp_flooded", arpFlooded,
                "arp_rate_limited", rateLimited, "nd_answered", ndAnswered, "nd_flooded", ndFlooded,
                "arp_nd_malformed", malformed, "arp_nd_lookups_given_up", lookupsGivenUp,
                "arp_learned_after_flood", learnedAfterFlood);
    }

    /** The responder flows carry their own sub-cookie: their packet counts are the datapath's answers. */
    @Override
    public Map<String, U64> flowCounters() {
        return Map.of("arp_answered_in_datapath", RESPONDER_COOKIE);
    }

    @Override
    public U64 cookie() {
        return Cookies.ARP_ND;
    }

    /** Miss flows per local port and the remote hosts' responders; local hosts' come from the host manager's replay. */
    @Override
    public List<OFMessage> switchReady() {
        List<OFMessage> out = new ArrayList<>();
        for (OFPort port : ctx.localPorts()) {
            out.addAll(missFlows(port));
        }
        known.forEach((ip, k) -> {
            if (k.port() == null && ip instanceof Inet4Address v4) {
                out.add(remoteResponder(IPv4Address.of(v4), k.mac()));
            }
        });
        return out;
    }

    /**
     * A gateway port asks for the client hosts of other sites like any host does, so infrastructure
     * ports get miss flows too (a full tunnel's uplink and underlay port never reach this table).
     */
    @Override
    public boolean seesInfrastructurePorts() {
        return true;
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        return port.overlay() ? List.of() : missFlows(port.number());
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        return List.of(flows.delete(Tables.PUNT,
                ctx.factory().buildMatch().setExact(MatchField.IN_PORT, port.number()).build()));
    }

    @Override
    public List<OFMessage> addressBound(OFPort port, MacAddress mac, InetAddress ip) {
        known.put(ip, new Known(mac, port, 0));
        if (ip instanceof Inet4Address v4) {
            IPv4Address a = IPv4Address.of(v4);
            return List.of(ArpReplyFlows.reply(responders, RESPONDER, a, mac, 0),
                    flows.add(Tables.PUNT, OWNER_PASS, ownerMatch(port, a), List.of(), Tables.L2_LOOKUP));
        }
        return List.of();
    }

    @Override
    public List<OFMessage> addressUnbound(OFPort port, MacAddress mac, InetAddress ip) {
        known.remove(ip);
        if (ip instanceof Inet4Address v4) {
            IPv4Address a = IPv4Address.of(v4);
            return List.of(responders.deleteStrict(Tables.PUNT, RESPONDER, ArpReplyFlows.match(ctx.factory(), a)),
                    flows.deleteStrict(Tables.PUNT, OWNER_PASS, ownerMatch(port, a)));
        }
        return List.of();
    }

    /** Forgets remote hosts whose time is up (their flows expire in the switch on their own). */
    @Override
    public List<OFMessage> tick() {
        long now = ctx.nowMillis();
        known.values().removeIf(k -> k.port() == null && k.expiresAt() <= now);
        askedAt.entrySet().removeIf(e -> {
            if (now - e.getValue() < LOOKUP_GIVE_UP_MILLIS) {
                return false;
            }
            lookupsGivenUp++;
            pending.remove(e.getKey());
            return true;
        });
        for (var it = recheck.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue() > now) {
                break;
            }
            it.remove();
            InetAddress target = e.getKey();
            if (!known.containsKey(target) && !pending.containsKey(target)) {
                directory.lookup(target).whenComplete((located, error) -> ctx.execute(
                        () -> ctx.send(learnedAfterFlood(target, located, error))));
            }
        }
        return List.of();
    }

    /** The directory knows an address that was flooded a moment ago: its next requests are answered by a flow. */
    private List<OFMessage> learnedAfterFlood(InetAddress target, Located located, Throwable error) {
        if (error != null || located == null || known.containsKey(target) || located.local()) {
            return List.of();
        }
        learnedAfterFlood++;
        known.put(target, new Known(located.mac(), null, ctx.nowMillis() + REMOTE_HARD_SECONDS * 1000L));
        return target instanceof Inet4Address v4 ? List.of(remoteResponder(IPv4Address.of(v4), located.mac())) : List.of();
    }

    /** An ARP request or neighbour solicitation that no responder flow answered. */
    @Override
    public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        try {
            if (ArpCodec.isArp(frame)) {
                ArpPacket arp = ArpCodec.decode(frame);
                return arp.op() == ArpPacket.REQUEST ? request(new Waiting(inPort, frame, arp, null), inet(arp.tpa().getBytes()))
                        : List.of();
            }
            if (NdCodec.isNd(frame)) {
                NdMessage nd = NdCodec.decode(frame);
                return nd.type() == NdMessage.SOLICITATION ? request(new Waiting(inPort, frame, null, nd),
                        inet(nd.target().getBytes())) : List.of();
            }
        } catch (MalformedPacketException e) {
            if (Long.bitCount(++malformed) == 1) {
                log.warn("refused a malformed ARP/ND frame from port {}: {} ({} so far)", inPort, e.getMessage(), malformed);
            }
        }
        return List.of();
    }

    private List<OFMessage> request(Waiting request, InetAddress target) {
        Known k = known.get(target);
        if (k != null) {
            if (request.port().equals(k.port())) {
                return List.of();
            }
            List<OFMessage> out = new ArrayList<>();
            if (k.port() == null && target instanceof Inet4Address v4) {
                out.add(remoteResponder(IPv4Address.of(v4), k.mac()));
            }
            out.add(answer(request, k.mac()));
            return out;
        }
        List<Waiting> waiting = pending.get(target);
        if (waiting != null) {
            if (waiting.size() < MAX_WAITING) {
                waiting.add(request);
            }
            return List.of();
        }
        if (pending.size() >= MAX_PENDING) {
            return List.of(floodOrCount(request));
        }
        pending.put(target, new ArrayList<>(List.of(request)));
        askedAt.put(target, ctx.nowMillis());
        directory.lookup(target).whenComplete((located, error) -> ctx.execute(() -> ctx.send(resolved(target, located, error))));
        return List.of();
    }

    /** The directory answered: known addresses get a flow and their answers, unknown ones are flooded. */
    private List<OFMessage> resolved(InetAddress target, Located located, Throwable error) {
        List<Waiting> waiting = pending.remove(target);
        askedAt.remove(target);
        if (waiting == null) {
            return List.of();
        }
        if (error != null) {
            log.debug("directory lookup of {} failed: {}", target.getHostAddress(), error.toString());
        }
        List<OFMessage> out = new ArrayList<>();
        Known k = known.get(target);
        if (k == null && error == null && located != null) {
            k = new Known(located.mac(), null, ctx.nowMillis() + REMOTE_HARD_SECONDS * 1000L);
            known.put(target, k);
            if (target instanceof Inet4Address v4) {
                out.add(remoteResponder(IPv4Address.of(v4), k.mac()));
            }
        }
        if (k == null && recheck.size() < MAX_PENDING) {
            recheck.putIfAbsent(target, ctx.nowMillis() + RECHECK_MILLIS);
        }
        for (Waiting w : waiting) {
            if (k == null) {
                out.add(floodOrCount(w));
            } else if (!w.port().equals(k.port())) {
                out.add(answer(w, k.mac()));
            }
        }
        return out.stream().filter(m -> m != null).toList();
    }

    private OFMessage answer(Waiting request, MacAddress mac) {
        byte[] reply;
        if (request.arp() != null) {
            answeredByController++;
            reply = ArpCodec.encode(request.arp().replyFrom(mac));
        } else {
            ndAnswered++;
            reply = NdCodec.advertisement(request.nd(), mac);
        }
        return packetOut(OFPort.CONTROLLER, request.port(), reply);
    }

    /** A request for an address nobody published goes to every port but its own, within the budget. */
    private OFMessage floodOrCount(Waiting request) {
        if (!budget.take(ctx.nowMillis())) {
            if (Long.bitCount(++rateLimited) == 1) {
                log.info("flooding of ARP/ND requests for unknown addresses rate-limited ({} so far)", rateLimited);
            }
            return null;
        }
        if (request.arp() != null) {
            arpFlooded++;
        } else {
            ndFlooded++;
        }
        return packetOut(request.port(), FloodGroup.action(ctx.factory()), request.frame());
    }

    private OFMessage packetOut(OFPort inPort, OFPort out, byte[] frame) {
        return packetOut(inPort, ctx.factory().actions().output(out, 0), frame);
    }

    private OFMessage packetOut(OFPort inPort, OFAction action, byte[] frame) {
        return ctx.factory().buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(inPort)
                .setActions(List.of(action)).setData(frame).build();
    }

    private OFMessage remoteResponder(IPv4Address ip, MacAddress mac) {
        OFFlowAdd add = (OFFlowAdd) ArpReplyFlows.reply(responders, RESPONDER, ip, mac, REMOTE_IDLE_SECONDS);
        return add.createBuilder().setHardTimeout(REMOTE_HARD_SECONDS).build();
    }

    private List<OFMessage> missFlows(OFPort port) {
        var of = ctx.factory();
        Match arp = of.buildMatch().setExact(MatchField.IN_PORT, port).setExact(MatchField.ETH_TYPE, EthType.ARP)
                .setExact(MatchField.ARP_OP, ArpOpcode.REQUEST).build();
        Match ns = of.buildMatch().setExact(MatchField.IN_PORT, port).setExact(MatchField.ETH_TYPE, EthType.IPv6)
                .setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP)
                .setExact(MatchField.ICMPV6_TYPE, U8.of((short) NdMessage.SOLICITATION)).build();
        List<OFMessage> out = new ArrayList<>(2);
        for (Match m : List.of(arp, ns)) {
            out.add(flows.add(Tables.PUNT, MISS, m, List.of(flows.toController()), null, Meters.packetIn(port), 0));
        }
        return out;
    }

    private Match ownerMatch(OFPort port, IPv4Address ip) {
        return ctx.factory().buildMatch().setExact(MatchField.IN_PORT, port).setExact(MatchField.ETH_TYPE, EthType.ARP)
                .setExact(MatchField.ARP_OP, ArpOpcode.REQUEST).setExact(MatchField.ARP_TPA, ip).build();
    }

    private static InetAddress inet(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
