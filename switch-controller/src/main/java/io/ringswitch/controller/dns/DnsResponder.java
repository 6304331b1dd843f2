package io.ringswitch.controller.dns;

import io.ringswitch.controller.api.GatewayDirectory.Gateway;
import io.ringswitch.controller.api.NameDirectory;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.Tables;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DNS server at the site's router address (cookie DNS). A host's UDP query to the router
 * address reaches the controller (one flow per host port in PUNT, under the port's packet-in meter):
 * <pre>
 * 270 in_port=P, udp, ip_dst=router, udp_dst=53   controller (meter packetIn(P))
 * </pre>
 * {@code NAME.DOMAIN} (one label, the name directory's domain, any case) is answered from the name
 * directory: A and AAAA records with a TTL of 30 s, NXDOMAIN when nobody published the name, and
 * NOERROR without records when it has none of the asked type; other names under the domain are
 * NXDOMAIN. Any other name is re-addressed to the chosen gateway (its MAC and address) and sent into
 * the overlay port, whose DNS resolver answers; the tunnel's flows make the reply come from the router
 * address. With no gateway the answer is SERVFAIL, so the host tries again and nothing leaks.
 * Malformed queries are counted and answered with nothing.
 */
public final class DnsResponder implements SwitchManager {
    private static final Logger log = LoggerFactory.getLogger(DnsResponder.class);
    static final int PRIO_PUNT = 270;

    private final SwitchContext ctx;
    private final NameDirectory names;
    private final Supplier<Gateway> gateway;
    private final Flows flows;
    private final MacAddress siteMac;
    private final IPv4Address router;
    private final List<String> domain;
    private long queries;
    private long answeredLocal;
    private long forwarded;
    private long nxdomain;
    private long servfail;
    private long malformed;

    /**
     * @param gateway the gateway chosen now, or null (the tunnel manager's view of the overlay's choice)
     */
    public DnsResponder(SwitchContext ctx, SwitchSettings settings, NameDirectory names, Supplier<Gateway> gateway) {
        this.ctx = ctx;
        this.names = names;
        this.gateway = gateway;
        this.flows = new Flows(ctx.factory(), Cookies.DNS);
        this.siteMac = settings.siteMac();
        this.router = IPv4Address.of(settings.tunnel().router());
        this.domain = Arrays.stream(names.domain().toLowerCase(Locale.ROOT).split("\\.")).filter(s -> !s.isEmpty()).toList();
        if (domain.isEmpty()) {
            throw new IllegalArgumentException("the name directory's domain is empty");
        }
    }

    @Override
    public U64 cookie() {
        return Cookies.DNS;
    }

    /** Its flows are per host port. */
    @Override
    public List<OFMessage> switchReady() {
        return List.of();
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        if (port.overlay()) {
            return List.of();
        }
        return List.of(flows.add(Tables.PUNT, PRIO_PUNT, punt(port.number()), List.of(flows.toController()), null,
                Meters.packetIn(port.number()), 0));
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        return port.overlay() ? List.of() : List.of(flows.deleteStrict(Tables.PUNT, PRIO_PUNT, punt(port.number())));
    }

    @Override
    public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        queries++;
        DnsFrames.Located at;
        DnsQuery query;
        try {
            at = DnsFrames.locate(frame);
            query = DnsCodec.decode(frame, at.payloadAt(), at.payloadLength());
        } catch (MalformedPacketException | IndexOutOfBoundsException e) {
            if (Long.bitCount(++malformed) == 1) {
                log.warn("refused a malformed DNS query from port {}: {} ({} so far)", inPort, e.getMessage(), malformed);
            }
            return List.of();
        }
        String name = groupName(query.labels());
        if (name != null) {
            names.lookup(name).whenComplete((addresses, error) -> ctx.execute(
                    () -> ctx.send(List.of(local(inPort, frame, at, query, addresses, error)))));
            return List.of();
        }
        if (underDomain(query.labels())) {
            nxdomain++;
            return List.of(answer(inPort, frame, at, query, DnsCodec.NXDOMAIN, true, List.of()));
        }
        Gateway chosen = gateway.get();
        OFPort overlay = ctx.overlayPort();
        if (chosen == null || overlay == null) {
            servfail++;
            return List.of(answer(inPort, frame, at, query, DnsCodec.SERVFAIL, false, List.of()));
        }
        forwarded++;
        byte[] out = DnsFrames.readdressed(frame, at, chosen.mac(), IPv4Address.of(chosen.address()));
        return List.of(packetOut(overlay, out));
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("dns_queries", queries);
        c.put("dns_answered_local", answeredLocal);
        c.put("dns_forwarded", forwarded);
        c.put("dns_nxdomain", nxdomain);
        c.put("dns_servfail", servfail);
        c.put("dns_malformed", malformed);
        return c;
    }

    /** The name directory answered for a group name. */
    private OFMessage local(OFPort port, byte[] frame, DnsFrames.Located at, DnsQuery query, List<InetAddress> addresses,
                            Throwable error) {
        if (error != null) {
            log.debug("name lookup of {} failed: {}", query.labels(), error.toString());
            servfail++;
            return answer(port, frame, at, query, DnsCodec.SERVFAIL, false, List.of());
        }
        if (addresses == null || addresses.isEmpty()) {
            nxdomain++;
            return answer(port, frame, at, query, DnsCodec.NXDOMAIN, true, List.of());
        }
        answeredLocal++;
        return answer(port, frame, at, query, DnsCodec.NOERROR, true, addresses);
    }

    private OFMessage answer(OFPort port, byte[] frame, DnsFrames.Located at, DnsQuery query, int rcode, boolean authoritative,
                             List<InetAddress> addresses) {
        byte[] message = DnsCodec.answer(frame, at.payloadAt(), query, rcode, authoritative, addresses);
        return packetOut(port, DnsFrames.reply(frame, at, siteMac, router, message));
    }

    /** The single label before the domain, lower case, or null when the name is not {@code LABEL.DOMAIN}. */
    private String groupName(List<String> labels) {
        if (labels.size() != domain.size() + 1 || !underDomain(labels)) {
            return null;
        }
        return labels.get(0).toLowerCase(Locale.ROOT);
    }

    private boolean underDomain(List<String> labels) {
        if (labels.size() < domain.size()) {
            return false;
        }
        int skip = labels.size() - domain.size();
        for (int i = 0; i < domain.size(); i++) {
            if (!labels.get(skip + i).toLowerCase(Locale.ROOT).equals(domain.get(i))) {
                return false;
            }
        }
        return true;
    }

    private OFMessage packetOut(OFPort port, byte[] frame) {
        var of = ctx.factory();
        return of.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(of.actions().output(port, 0))).setData(frame).build();
    }

    private Match punt(OFPort port) {
        return ctx.factory().buildMatch().setExact(MatchField.IN_PORT, port).setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setExact(MatchField.IP_PROTO, IpProtocol.UDP).setExact(MatchField.IPV4_DST, router)
                .setExact(MatchField.UDP_DST, TransportPort.of(DnsFrames.PORT)).build();
    }
}
