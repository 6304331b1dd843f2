package io.ringswitch.controller.tunnel;

import io.ringswitch.controller.api.GatewayDirectory;
import io.ringswitch.controller.api.GatewayDirectory.Gateway;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.api.SwitchSettings.GatewayPort;
import io.ringswitch.controller.api.SwitchSettings.Tunnel;
import io.ringswitch.controller.hosts.HostListener;
import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.packet.NdCodec;
import io.ringswitch.controller.packet.NdMessage;
import io.ringswitch.controller.packet.RouterAdvertisementCodec;
import io.ringswitch.controller.packet.RouterSolicitation;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full tunnel on this site's bridge (cookie TUNNEL; the flows are drawn in {@link TunnelFlows}).
 * At a client ({@code tunnel.full}) it keeps the uplink and the node's underlay port to themselves
 * and steers frames for the Internet to the gateway the overlay chose, or drops them while there is
 * none: the steering flows are the only ones that follow the choice. At a gateway ({@code gateway}
 * set) it admits the gateway port from its own MAC and publishes that MAC and address in the site
 * directory. Split mode without a gateway port: nothing. Its flows follow from its settings, the
 * ports the switch lists and the current choice, so they are the same after any reconnect.
 * At a client it is also its hosts' IPv6 router ({@link RouterAdvertiser}): advertisements every
 * 30 s, when a host port appears, when the router lifetime changes and in answer to solicitations,
 * with a router lifetime only while IPv6 is carried to a gateway that carries it.
 */
public final class TunnelManager implements SwitchManager, HostListener {
    private static final Logger log = LoggerFactory.getLogger(TunnelManager.class);

    private final SwitchContext ctx;
    private final SiteDirectory directory;
    private final Tunnel tunnel;
    private final GatewayPort gatewayPortSettings;
    private final TunnelFlows flows;
    /** Host MACs bound to host ports (allowLan: what the uplink may reach). */
    private final Map<MacAddress, OFPort> hosts = new LinkedHashMap<>();
    private final Set<OFPort> hostPorts = new LinkedHashSet<>();
    private OFPort uplink;
    private OFPort local;
    private OFPort gatewayPort;
    private boolean published;
    private Gateway chosen;
    private long choices;
    private final RouterAdvertiser router;
    private long nextAdvertMillis;
    private int advertisedLifetime;
    private long advertsSent;
    private long solicitationsAnswered;
    private long malformed;

    /** Listens to {@code gateways} (its calls hop onto the switch channel's thread) when this site is a full-tunnel client. */
    public TunnelManager(SwitchContext ctx, SwitchSettings settings, GatewayDirectory gateways, SiteDirectory directory) {
        this.ctx = ctx;
        this.directory = directory;
        this.tunnel = settings.tunnel();
        this.gatewayPortSettings = settings.gateway();
        if (tunnel.full() && tunnel.allowLan() && tunnel.lanPrefix() < 8) {
            throw new IllegalArgumentException("allowLan with a LAN prefix of /" + tunnel.lanPrefix()
                    + " would let hosts reach the Internet past the tunnel");
        }
        this.flows = new TunnelFlows(ctx.factory(), settings);
        this.router = tunnel.full() ? new RouterAdvertiser(settings.siteMac(), settings.overlayMtu(), tunnel.ipv6Prefix()) : null;
        if (tunnel.full()) {
            gateways.listen(gateway -> ctx.execute(() -> ctx.send(chosen(gateway))));
        }
    }

    @Override
    public U64 cookie() {
        return Cookies.TUNNEL;
    }

    @Override
    public boolean seesInfrastructurePorts() {
        return true;
    }

    /** The gateway frames for the Internet go to now, or null (fail closed). The DNS responder forwards to it. */
    public Gateway gateway() {
        return chosen;
    }

    /** Fail closed until the ports are listed again: the steering flows drop until the overlay port is known. */
    @Override
    public List<OFMessage> switchReady() {
        uplink = null;
        local = null;
        gatewayPort = null;
        hostPorts.clear();
        if (!tunnel.full()) {
            return List.of();
        }
        List<OFMessage> out = new ArrayList<>(flows.siteMac());
        out.addAll(flows.steering(chosen, ctx.overlayPort()));
        return out;
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        List<OFMessage> out = new ArrayList<>();
        if (port.overlay()) {
            if (tunnel.full()) {
                out.addAll(flows.steering(chosen, port.number()));
                if (chosen != null) {
                    out.add(flows.dnsReply(chosen, port.number()));
                }
                out.addAll(lifetimeChanged());
            }
        } else if (gatewayPortSettings != null && port.name().equals(gatewayPortSettings.portName())) {
            gatewayPort = port.number();
            out.addAll(flows.gatewayPort(gatewayPort));
            if (!published) {
                published = true;
                directory.publish(gatewayAddress(), gatewayPortSettings.mac());
            }
        } else if (tunnel.full() && port.name().equals(tunnel.uplinkPort())) {
            uplink = port.number();
            out.addAll(underlay());
        } else if (tunnel.full() && port.name().equals(tunnel.localPort())) {
            local = port.number();
            out.addAll(underlay());
        } else if (!port.infrastructure()) {
            hostPorts.add(port.number());
            if (lanOpen()) {
                out.addAll(flows.lanOut(port.number(), uplink));
            }
            if (router != null) {
                out.addAll(flows.routerPunt(port.number(), router.linkLocal()));
                out.add(advertise(List.of(port.number()), router.unsolicited(lifetime())));
            }
        }
        return out;
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        OFPort number = port.number();
        hostPorts.remove(number);
        if (number.equals(gatewayPort)) {
            gatewayPort = null;
            if (published) {
                published = false;
                directory.withdraw(gatewayAddress(), gatewayPortSettings.mac());
            }
        }
        if (number.equals(uplink)) {
            uplink = null;
        }
        if (number.equals(local)) {
            local = null;
        }
        List<OFMessage> out = new ArrayList<>(flows.portGone(number));
        if (port.overlay() && tunnel.full()) {
            out.addAll(flows.steering(null, null));
            out.addAll(lifetimeChanged());
        }
        return out;
    }

    @Override
    public List<OFMessage> macBound(OFPort port, MacAddress mac) {
        hosts.put(mac, port);
        return lanOpen() ? flows.lanIn(uplink, mac, port) : List.of();
    }

    @Override
    public List<OFMessage> macUnbound(OFPort port, MacAddress mac) {
        hosts.remove(mac);
        return lanOpen() ? flows.lanInGone(uplink, mac) : List.of();
    }

    /** The overlay chose another gateway, or none: only the steering flows and the DNS reply flow change. */
    List<OFMessage> chosen(Gateway gateway) {
        if (Objects.equals(gateway, chosen)) {
            return List.of();
        }
        Gateway before = chosen;
        chosen = gateway;
        choices++;
        List<OFMessage> out = new ArrayList<>(lifetimeChanged());
        log.info("full tunnel: gateway {} (was {})", gateway == null ? "none: Internet-bound frames dropped" : gateway.site(),
                before == null ? "none" : before.site());
        OFPort overlay = ctx.overlayPort();
        out.addAll(flows.steering(gateway, overlay));
        if (overlay != null) {
            if (before != null) {
                out.add(flows.dnsReplyGone(before, overlay));
            }
            if (gateway != null) {
                out.add(flows.dnsReply(gateway, overlay));
            }
        }
        return out;
    }

    /** Every {@link RouterAdvertiser#INTERVAL_MILLIS}: an unsolicited advertisement to every host port. */
    @Override
    public List<OFMessage> tick() {
        if (router == null || hostPorts.isEmpty() || ctx.nowMillis() < nextAdvertMillis) {
            return List.of();
        }
        return List.of(advertise(hostPorts, router.unsolicited(lifetime())));
    }

    /** A host's router solicitation, or its neighbour solicitation for the router's link-local address. */
    @Override
    public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        if (router == null || !hostPorts.contains(inPort)) {
            return List.of();
        }
        try {
            if (RouterAdvertisementCodec.is(frame, RouterAdvertisementCodec.SOLICITATION)) {
                RouterSolicitation rs = RouterAdvertisementCodec.decodeSolicitation(frame);
                solicitationsAnswered++;
                return List.of(advertise(List.of(inPort), router.solicited(rs, lifetime())));
            }
            if (NdCodec.isNd(frame)) {
                NdMessage ns = NdCodec.decode(frame);
                if (ns.type() == NdMessage.SOLICITATION && ns.target().equals(router.linkLocal())) {
                    return List.of(flows.packetOut(router.neighborAdvertisement(ns), List.of(inPort)));
                }
            }
        } catch (MalformedPacketException e) {
            if (Long.bitCount(++malformed) == 1) {
                log.info("refused a malformed router or neighbour solicitation from port {}: {} ({} so far)", inPort,
                        e.getMessage(), malformed);
            }
        }
        return List.of();
    }

    /** An advertisement to every host port when the router lifetime is no longer the one they were told. */
    private List<OFMessage> lifetimeChanged() {
        if (router == null || hostPorts.isEmpty() || lifetime() == advertisedLifetime) {
            return List.of();
        }
        return List.of(advertise(hostPorts, router.unsolicited(lifetime())));
    }

    /** The router lifetime hosts are told now: only while IPv6 is carried to a gateway that carries it. */
    private int lifetime() {
        boolean carried = tunnel.ipv6() == SwitchSettings.Ipv6Policy.CARRY && chosen != null && chosen.ipv6()
                && ctx.overlayPort() != null;
        return carried ? RouterAdvertiser.LIFETIME_SECONDS : 0;
    }

    /** An advertisement out of {@code ports}; the next unsolicited one is due an interval from now. */
    private OFMessage advertise(java.util.Collection<OFPort> ports, byte[] frame) {
        advertisedLifetime = lifetime();
        advertsSent++;
        nextAdvertMillis = ctx.nowMillis() + RouterAdvertiser.INTERVAL_MILLIS;
        return flows.packetOut(frame, List.copyOf(ports));
    }

    @Override
    public Map<String, U64> flowCounters() {
        if (!tunnel.full() && gatewayPortSettings == null) {
            return Map.of();
        }
        return Map.of("tunnel_to_gateway", TunnelFlows.TO_GATEWAY, "tunnel_fail_closed", TunnelFlows.FAIL_CLOSED,
                "tunnel_local_dropped", TunnelFlows.LOCAL_DROPPED, "tunnel_site_mac_dropped", TunnelFlows.SITE_MAC_DROPPED,
                "tunnel_ipv6_dropped", TunnelFlows.IPV6_DROPPED, "tunnel_gateway_spoof_dropped", TunnelFlows.GATEWAY_SPOOF);
    }

    @Override
    public Map<String, Long> counters() {
        return tunnel.full() ? Map.of("tunnel_gateway_choices", choices, "tunnel_gateway_chosen", chosen == null ? 0L : 1L,
                "tunnel_router_adverts", advertsSent, "tunnel_router_solicitations", solicitationsAnswered,
                "tunnel_router_malformed", malformed, "tunnel_router_lifetime", (long) advertisedLifetime) : Map.of();
    }

    /** The underlay flows once both the uplink and the underlay port are listed, with allowLan's flows that need the uplink. */
    private List<OFMessage> underlay() {
        if (uplink == null || local == null) {
            return List.of();
        }
        List<OFMessage> out = new ArrayList<>(flows.underlay(uplink, local));
        if (lanOpen()) {
            hostPorts.forEach(port -> out.addAll(flows.lanOut(port, uplink)));
            hosts.forEach((mac, port) -> out.addAll(flows.lanIn(uplink, mac, port)));
        }
        return out;
    }

    private boolean lanOpen() {
        return tunnel.full() && tunnel.allowLan() && uplink != null && local != null;
    }

    private java.net.InetAddress gatewayAddress() {
        return IPv4Address.of(gatewayPortSettings.address()).toInetAddress();
    }
}
