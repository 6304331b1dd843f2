package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.GatewayDirectory.Gateway;
import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.FakeDirectory;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.FakeGateways;
import io.ringswitch.controller.pipeline.FakeNames;
import io.ringswitch.controller.pipeline.Frames;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * A full-tunnel client site on the fake Open vSwitch with every real manager: two host ports, the
 * overlay port, the uplink NIC and the node's underlay port, a DHCP server at the router address, an
 * in-memory directory, pool, gateway choice and name directory.
 */
final class TunnelSite {
    static final OFPort H1 = OFPort.of(1);
    static final OFPort H2 = OFPort.of(2);
    static final OFPort OVERLAY = OFPort.of(4);
    static final OFPort UPLINK = OFPort.of(5);
    static final OFPort LOCAL = OFPort.of(6);
    static final List<OFPort> INFRASTRUCTURE = List.of(UPLINK, LOCAL);
    static final MacAddress SITE = MacAddress.of("02:52:00:00:00:01");
    static final IPv4Address ROUTER = IPv4Address.of("10.77.255.254");
    static final IPv4Address UNDERLAY_DNS = IPv4Address.of("192.0.2.53");
    static final IPv6AddressWithMask VPN6 = IPv6AddressWithMask.of("fd77::/64");
    static final int NODE_UDP = 4500;
    static final int NODE_TCP = 4501;
    static final Gateway GW1 = gateway("gw-one", "02:47:00:00:00:01", "10.77.250.1", true);
    static final Gateway GW2 = gateway("gw-two", "02:47:00:00:00:02", "10.77.250.2", false);
    static final SwitchSettings.Dhcp DHCP = new SwitchSettings.Dhcp(IPv4Address.of("10.77.0.0").getInt(), 16,
            IPv4Address.of("10.77.200.1").getInt(), IPv4Address.of("10.77.200.254").getInt(), ROUTER.getInt(),
            ROUTER.getInt(), List.of(ROUTER.getInt()), 600);

    final FakeDirectory directory = new FakeDirectory();
    final MemoryPool pool = new MemoryPool();
    final FakeGateways gateways = new FakeGateways();
    final FakeNames names = new FakeNames("lab.example");
    final SwitchSettings settings;
    SwitchUnderTest bridge;

    TunnelSite(boolean allowLan, SwitchSettings.Ipv6Policy ipv6) {
        this(allowLan, ipv6, DHCP);
    }

    /** A site whose DHCP server is {@code dhcp} (null: none; hosts are configured by hand). */
    TunnelSite(boolean allowLan, SwitchSettings.Ipv6Policy ipv6, SwitchSettings.Dhcp dhcp) {
        SwitchSettings.Tunnel tunnel = new SwitchSettings.Tunnel(true, "eth0", "rsnode0", Set.of(NODE_UDP), Set.of(NODE_TCP),
                List.of(UNDERLAY_DNS.getInt()), IPv4Address.of("10.77.0.0").getInt(), 16, ROUTER.getInt(), allowLan,
                IPv4Address.of("192.168.1.0").getInt(), 24, ipv6, VPN6);
        settings = new SwitchSettings(SITE, 1400, dhcp, SwitchSettings.Multicast.defaults(), new SwitchSettings.Storm(1000, 1000),
                Set.of(), 1).withTunnel(tunnel, null);
        bridge = build();
    }

    /** A new controller (a node restart) on a new, empty switch with the same ports. */
    SwitchUnderTest build() {
        ControllerConfig config = ControllerConfig.of(new InetSocketAddress("127.0.0.1", 0), "rstap0", settings);
        OverlayServices overlay = new OverlayServices(directory, pool, GroupDirectory.none(), gateways, names);
        return new SwitchUnderTest("rstap0", Set.of(), settings.infrastructurePorts(),
                context -> SwitchManagers.build(context, config, overlay), H1, H2, OVERLAY, UPLINK, LOCAL)
                .connect(SwitchUnderTest.port(H1, "h1"), SwitchUnderTest.port(H2, "h2"), SwitchUnderTest.port(OVERLAY, "rstap0"),
                        SwitchUnderTest.port(UPLINK, "eth0"), SwitchUnderTest.port(LOCAL, "rsnode0"));
    }

    /**
     * The overlay chooses {@code gateway} (null: none); what the choice itself sent out of the ports
     * (router advertisements when the IPv6 router lifetime changes) is settled and set aside, so
     * that the next frame's verdict holds only what that frame caused.
     */
    void choose(Gateway gateway) {
        gateways.choose(gateway);
        bridge.settle();
    }

    /** A host leases an address from the site's DHCP server, sending {@code hostName} (option 12) when not null. */
    IPv4Address lease(OFPort port, MacAddress mac, String hostName) {
        Verdict offer = bridge.feed(port, Frames.dhcpClient(mac, 1));
        IPv4Address ip = Frames.dhcpYiaddr(offer.frameOut(port));
        byte[] name = hostName == null ? null : hostName.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Verdict ack = bridge.feed(port, Frames.dhcpClient(mac, 3, ip, ROUTER, name));
        assertEquals(5, Frames.dhcpMessageType(ack.frameOut(port)), "acknowledged");
        return ip;
    }

    long counter(String name) {
        return bridge.pipeline.managers().stream().mapToLong(m -> m.counters().getOrDefault(name, 0L)).sum();
    }

    /** Packets counted by the flows behind a switch counter of the managers' flowCounters(). */
    long flowCounter(String name) {
        List<U64> cookies = new ArrayList<>();
        bridge.pipeline.managers().forEach(m -> {
            U64 c = m.flowCounters().get(name);
            if (c != null) {
                cookies.add(c);
            }
        });
        return cookies.stream().mapToLong(bridge.table::packets).sum();
    }

    static Gateway gateway(String site, String mac, String ip, boolean ipv6) {
        return new Gateway(site, MacAddress.of(mac), (Inet4Address) IPv4Address.of(ip).toInetAddress(), ipv6);
    }
}
