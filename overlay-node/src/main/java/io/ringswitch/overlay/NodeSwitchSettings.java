package io.ringswitch.overlay;

import io.ringswitch.overlay.api.SwitchingConfig;
import io.ringswitch.overlay.api.DhcpConfig;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.overlay.api.GatewayConfig;
import io.ringswitch.overlay.api.Ipv4;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.TunnelConfig;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.Set;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/** A node's config turned into what the controller's managers do on its bridge ({@link SwitchSettings}). */
final class NodeSwitchSettings {
    private NodeSwitchSettings() {
    }

    /** The MAC the site's switch answers as (DHCP server, querier): locally administered, from its ring address. */
    static MacAddress siteMac(RingAddress address) {
        byte[] a = address.toBytes();
        return MacAddress.of(new byte[] {0x02, 0x52, a[0], a[1], a[2], a[3]});
    }

    /**
     * The MAC of this site's gateway port: locally administered and unicast, from the ring address
     * (so the same across restarts for a node with a certificate), and never the site MAC.
     */
    static MacAddress gatewayMac(RingAddress address) {
        byte[] a = address.toBytes();
        return MacAddress.of(new byte[] {0x02, 0x47, a[0], a[1], a[2], a[3]});
    }

    static SwitchSettings of(NodeConfig config, RingAddress address) {
        DhcpConfig d = config.dhcp();
        SwitchSettings.Dhcp dhcp = d == null ? null : new SwitchSettings.Dhcp(d.subnetBase(), d.prefixLength(), d.poolFirst(),
                d.poolLast(), d.serverAddress(), d.router() == null ? 0 : Ipv4.parse(d.router()),
                d.dns().stream().map(Ipv4::parse).toList(), d.leaseSeconds());
        SwitchingConfig sw = config.switching();
        GatewayConfig g = config.gateway();
        SwitchSettings.GatewayPort port = g == null || !g.on() ? null
                : new SwitchSettings.GatewayPort(g.port(), gatewayMac(address), g.addressValue());
        return new SwitchSettings(siteMac(address), config.tap().mtu(), dhcp,
                new SwitchSettings.Multicast(config.multicast().querierOn(), config.multicast().intervalSeconds()),
                new SwitchSettings.Storm(sw.floodPps(), sw.packetInPps()), Set.copyOf(sw.trustedPorts()), sw.macsPerPort(),
                tunnel(config), port);
    }

    /**
     * The full tunnel's ports: the node's UDP port, and its TCP port (the same number) when TCP
     * links are on; the VPN subnet and router from DHCP (its server) or from {@code tunnel.subnet/router}.
     */
    static SwitchSettings.Tunnel tunnel(NodeConfig config) {
        TunnelConfig t = config.tunnel();
        if (t == null || !t.full()) {
            return SwitchSettings.Tunnel.split();
        }
        int port = config.listenAddress().getPort();
        boolean tcp = config.nat() == null || config.nat().tcp() == null || config.nat().tcp();
        int[] vpn = t.vpnSubnet();
        int[] lan = t.lanSubnet();
        return new SwitchSettings.Tunnel(true, t.uplink(), t.local(), Set.of(port), tcp ? Set.of(port) : Set.of(),
                t.underlayDns().stream().map(Ipv4::parse).toList(), vpn[0], vpn[1], t.routerValue(), t.allowLan(), lan[0], lan[1],
                t.carryIpv6() ? SwitchSettings.Ipv6Policy.CARRY : SwitchSettings.Ipv6Policy.DROP,
                t.ipv6Prefix() == null ? null : IPv6AddressWithMask.of(t.ipv6Prefix()));
    }
}
