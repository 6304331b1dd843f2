package io.ringswitch.controller.mtu;

import io.ringswitch.controller.packet.PacketTooBig;
import io.ringswitch.controller.pipeline.CheckPktLarger;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.Tables;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packets too big for the overlay (cookie MTU): path MTU discovery answered by the controller, and
 * only for the frames that need it. OVS measures every frame with {@link CheckPktLarger} as it leaves
 * PUNT; L2_LOOKUP sends the oversized unicast UDP and ICMP packets of local ports, when they are not
 * for a local MAC, to the controller under the port's packet-in meter. The controller answers from the
 * packet's destination with ICMP "fragmentation needed" (RFC 1191) or ICMPv6 "packet too big" (RFC
 * 4443 §3.2) carrying the overlay MTU, out of the asking port.
 *
 * <pre>
 * PUNT       prio 0    (replaces the pipeline's miss) check_pkt_larger(mtu+14)->reg5[0], goto L2_LOOKUP
 * L2_LOOKUP  prio 250  in_port=P, reg5[0]=1, unicast eth_dst, IPv4 UDP/ICMP or IPv6 UDP/ICMPv6
 *                      -> meter packetIn(P), controller                 (sub-cookie 1: "too_big_to_controller")
 * </pre>
 * Frames for a local MAC meet the L2_LOOKUP flows at priority 300 first: hosts of one site keep their
 * own MTU. TCP is left alone: the overlay node re-cuts TCP super-frames (TSO) for the overlay, and with
 * the userspace datapath and TSO, OVS measures a super-frame, not its segments. IPv4 without DF cannot
 * be told apart by a flow (OVS matches no DF bit, only {@code ip_frag}), so the controller drops it and
 * counts it ("too_big_dropped"), as it does fragments after the first and ICMP errors.
 *
 * <p>"too_big_to_controller" counts the packet-ins, not the punt flows' packet counts: OVS translates
 * both outcomes of check_pkt_larger into one datapath flow ({@code check_pkt_len(gt(...),le(...))})
 * and credits every packet of it to the OpenFlow flows of both branches, so the punt flows count each
 * unicast UDP/ICMP packet of a local port to another site, whatever its size (seen with OVS 3.1: 57
 * packets on them, none of them punted, in a lab run).
 */
public final class TooBigManager implements SwitchManager {
    private static final Logger log = LoggerFactory.getLogger(TooBigManager.class);
    /** Above remote MACs (200) and multicast (100), below local MACs (300). */
    public static final int PRIO_TOO_BIG = 250;
    /** The sub-cookie of the flows that punt oversized packets. */
    public static final U64 PUNT_COOKIE = Cookies.sub(Cookies.MTU, 1);
    /** The register bit check_pkt_larger writes: NXM_NX_REG5 bit 0. */
    static final int RESULT_BIT = 0;
    static final int ETHERNET = 14;
    /** Oversized packets that reached the controller (packet-ins counted here, not the punt flows' packet counts). */
    public static final String TO_CONTROLLER = "too_big_to_controller";
    public static final String ANSWERED_V4 = "too_big_answered_ipv4";
    public static final String ANSWERED_V6 = "too_big_answered_ipv6";
    public static final String DROPPED = "too_big_dropped";

    private final SwitchContext context;
    private final int mtu;
    private final Flows miss;
    private final Flows punt;
    private long toController;
    private long answeredV4;
    private long answeredV6;
    private final Map<PacketTooBig.Refusal, Long> refused = new EnumMap<>(PacketTooBig.Refusal.class);
    private long foreignPort;

    /** {@code overlayMtu}: the largest IP packet the overlay carries. */
    public TooBigManager(SwitchContext context, int overlayMtu) {
        this.context = context;
        this.mtu = overlayMtu;
        this.miss = new Flows(context.factory(), Cookies.MTU);
        this.punt = new Flows(context.factory(), PUNT_COOKIE);
    }

    @Override
    public U64 cookie() {
        return Cookies.MTU;
    }

    /**
     * PUNT's miss flow again, now measuring the frame: same table, priority and match as the pipeline's,
     * so the switch replaces it (OpenFlow 1.3.5 §6.4) rather than holding two.
     */
    @Override
    public List<OFMessage> switchReady() {
        Match any = context.factory().buildMatch().build();
        return List.of(miss.add(Tables.PUNT, Tables.PRIO_MISS, any, List.of(check()), Tables.L2_LOOKUP));
    }

    /** The measuring action: frames longer than the overlay MTU plus an untagged Ethernet header set the bit. */
    CheckPktLarger check() {
        return new CheckPktLarger(mtu + ETHERNET, CheckPktLarger.NXM_NX_REG5, RESULT_BIT);
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        if (port.overlay()) {
            return List.of();
        }
        List<OFMessage> out = new ArrayList<>();
        for (Match m : puntMatches(port.number())) {
            out.add(punt.add(Tables.L2_LOOKUP, PRIO_TOO_BIG, m, List.of(punt.toController()), null,
                    Meters.packetIn(port.number()), 0));
        }
        return out;
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        if (port.overlay()) {
            return List.of();
        }
        return puntMatches(port.number()).stream().map(m -> punt.deleteStrict(Tables.L2_LOOKUP, PRIO_TOO_BIG, m)).toList();
    }

    private List<Match> puntMatches(OFPort port) {
        List<Match> out = new ArrayList<>(4);
        for (EthType type : List.of(EthType.IPv4, EthType.IPv6)) {
            IpProtocol icmp = type == EthType.IPv4 ? IpProtocol.ICMP : IpProtocol.IPv6_ICMP;
            for (IpProtocol proto : List.of(IpProtocol.UDP, icmp)) {
                out.add(context.factory().buildMatch().setExact(MatchField.IN_PORT, port)
                        .setMasked(MatchField.REG5, U32.of(1L << RESULT_BIT), U32.of(1L << RESULT_BIT))
                        .setMasked(MatchField.ETH_DST, MacAddress.NONE, MacAddress.of("01:00:00:00:00:00"))
                        .setExact(MatchField.ETH_TYPE, type).setExact(MatchField.IP_PROTO, proto).build());
            }
        }
        return out;
    }

    /** An oversized packet from a local port: answered out of that port, or dropped and counted. */
    @Override
    public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        if (!context.localPorts().contains(inPort)) {
            if (Long.bitCount(++foreignPort) == 1) {
                log.warn("ignoring a too-big packet-in from port {}, which is no local port ({} so far)", inPort, foreignPort);
            }
            return List.of();
        }
        toController++;
        PacketTooBig.Answer answer = PacketTooBig.answer(frame, mtu);
        if (answer.frame() == null) {
            return refuse(inPort, frame, answer.refusal());
        }
        if (frame.length > ETHERNET + 1 && ((frame[12] & 0xff) << 8 | (frame[13] & 0xff)) == 0x86dd) {
            answeredV6++;
        } else {
            answeredV4++;
        }
        return List.of(packetOut(answer.frame(), inPort));
    }

    private List<OFMessage> refuse(OFPort inPort, byte[] frame, PacketTooBig.Refusal why) {
        long n = refused.merge(why, 1L, Long::sum);
        if (why == PacketTooBig.Refusal.FITS && context.overlayPort() != null) {
            // A VLAN-tagged frame is measured with its tag: it fits after all and goes on to the overlay.
            return List.of(packetOut(frame, context.overlayPort()));
        }
        if (Long.bitCount(n) == 1) {
            log.info("dropped a {}-byte frame from port {} too big for the overlay MTU {} ({}; {} so far)", frame.length,
                    inPort, mtu, why, n);
        }
        return List.of();
    }

    private OFMessage packetOut(byte[] frame, OFPort port) {
        return context.factory().buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(context.factory().actions().output(port, 0))).setData(frame).build();
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put(TO_CONTROLLER, toController);
        out.put(ANSWERED_V4, answeredV4);
        out.put(ANSWERED_V6, answeredV6);
        long dropped = 0;
        for (Map.Entry<PacketTooBig.Refusal, Long> e : refused.entrySet()) {
            if (e.getKey() != PacketTooBig.Refusal.FITS) {
                dropped += e.getValue();
            }
        }
        out.put(DROPPED, dropped);
        return out;
    }
}
