package io.ringswitch.controller;

import static io.ringswitch.controller.TunnelSite.GW1;
import static io.ringswitch.controller.TunnelSite.GW2;
import static io.ringswitch.controller.TunnelSite.H1;
import static io.ringswitch.controller.TunnelSite.H2;
import static io.ringswitch.controller.TunnelSite.INFRASTRUCTURE;
import static io.ringswitch.controller.TunnelSite.LOCAL;
import static io.ringswitch.controller.TunnelSite.NODE_TCP;
import static io.ringswitch.controller.TunnelSite.NODE_UDP;
import static io.ringswitch.controller.TunnelSite.OVERLAY;
import static io.ringswitch.controller.TunnelSite.SITE;
import static io.ringswitch.controller.TunnelSite.UNDERLAY_DNS;
import static io.ringswitch.controller.TunnelSite.UPLINK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.SwitchSettings.Ipv6Policy;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.Frames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** A full-tunnel client site: what reaches the gateway, what reaches the uplink (only the node's own traffic), and what nothing reaches. */
class TunnelBehaviourTest {
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress MALLORY = MacAddress.of("02:00:00:00:00:66");
    private static final MacAddress LAN_ROUTER = MacAddress.of("02:aa:00:00:00:01");
    private static final MacAddress NODE = MacAddress.of("02:bb:00:00:00:01");
    private static final IPv4Address NODE_IP = IPv4Address.of("192.168.1.20");
    private static final IPv4Address PEER = IPv4Address.of("203.0.113.7");
    private static final IPv4Address INTERNET = IPv4Address.of("198.51.100.10");
    private static final IPv4Address LAN_HOST = IPv4Address.of("192.168.1.10");

    private final TunnelSite site = new TunnelSite(false, Ipv6Policy.CARRY);

    private static byte[] toInternet(MacAddress src, IPv4Address from) {
        return Frames.udp(src, SITE, from, INTERNET, 40000, 443, new byte[] {1});
    }

    @Test
    void aHostsFrameForTheInternetLeavesTheOverlayPortAddressedToTheGateway() {
        site.choose(GW1);
        IPv4Address ip = site.lease(H1, A, null);
        Verdict v = site.bridge.feed(H1, toInternet(A, ip));
        assertEquals(List.of(OVERLAY), v.ports());
        byte[] out = v.frameOut(OVERLAY);
        assertEquals(GW1.mac(), Frames.ethDst(out));
        assertEquals(A, Frames.ethSrc(out));
        assertEquals(INTERNET, Frames.ipDst(out), "the IP packet is untouched: the gateway's NAT sees it as sent");
        assertTrue(site.flowCounter("tunnel_to_gateway") >= 1);
    }

    @Test
    void withoutAGatewayTheFrameIsDroppedAndReachesNoPort() {
        IPv4Address ip = site.lease(H1, A, null);
        Verdict v = site.bridge.feed(H1, toInternet(A, ip));
        assertTrue(v.dropped(), "fail closed before any choice: " + v.ports());
        assertEquals(1, site.flowCounter("tunnel_fail_closed"));
        site.choose(GW1);
        site.choose(null);
        assertTrue(site.bridge.feed(H1, toInternet(A, ip)).dropped(), "fail closed when the gateway goes");
        assertEquals(1, site.flowCounter("tunnel_fail_closed"), "counted by the fail-closed flow installed when the gateway went");
    }

    /** Everything a host can send, from a leased host and from an attacker with a MAC of its own, with and without a gateway. */
    @Test
    void nothingAHostSendsEverLeavesTheUplink() {
        IPv4Address ip = site.lease(H1, A, null);
        IPv4Address spoofed = IPv4Address.of("10.77.9.9");
        for (boolean gateway : List.of(false, true)) {
            site.choose(gateway ? GW1 : null);
            for (Map.Entry<OFPort, MacAddress> host : Map.of(H1, A, H2, MALLORY).entrySet()) {
                MacAddress mac = host.getValue();
                IPv4Address from = host.getKey().equals(H1) ? ip : spoofed;
                Map<String, byte[]> frames = new LinkedHashMap<>();
                frames.put("IPv4 to the Internet", toInternet(mac, from));
                frames.put("TCP to the Internet", Frames.tcp(mac, SITE, from, INTERNET, 40000, 443));
                frames.put("DNS to a public resolver", Frames.udp(mac, SITE, from, IPv4Address.of("8.8.8.8"), 40000, 53, new byte[12]));
                frames.put("the node's own ports", Frames.udp(mac, SITE, from, PEER, NODE_UDP, NODE_UDP, new byte[4]));
                frames.put("TCP to the node's peers' port", Frames.tcp(mac, SITE, from, PEER, 40000, NODE_TCP));
                frames.put("DNS to the underlay resolver", Frames.udp(mac, SITE, from, UNDERLAY_DNS, 40000, 53, new byte[12]));
                frames.put("IPv6 to the Internet", Frames.udp6(mac, SITE, IPv6Address.of("2001:db8::a"), IPv6Address.of("2001:4860::8888"),
                        40000, 443, new byte[4]));
                frames.put("IPv6 link-local to the site MAC", Frames.udp6(mac, SITE, IPv6Address.of("fe80::a"), IPv6Address.of("fe80::1"),
                        40000, 443, new byte[4]));
                frames.put("ARP for an outside address", Frames.arpRequest(mac, from, IPv4Address.of("198.51.100.1")));
                frames.put("ARP for the LAN router", Frames.arpRequest(mac, from, IPv4Address.of("192.168.1.1")));
                frames.put("raw 0x88b5 to the site MAC", Frames.raw(mac, SITE));
                frames.put("raw 0x88b5 broadcast", Frames.broadcast(mac));
                frames.put("IPv4 broadcast", Frames.udp(mac, MacAddress.BROADCAST, from, IPv4Address.NO_MASK, 40000, 9, new byte[4]));
                frames.put("unknown unicast to the LAN router's MAC", Frames.udp(mac, LAN_ROUTER, from, INTERNET, 40000, 443, new byte[4]));
                frames.put("raw to the LAN router's MAC", Frames.raw(mac, LAN_ROUTER));
                frames.put("IPv4 to a LAN address", Frames.udp(mac, LAN_ROUTER, from, LAN_HOST, 40000, 80, new byte[4]));
                frames.put("IPv4 to a LAN address via the site MAC", Frames.udp(mac, SITE, from, LAN_HOST, 40000, 80, new byte[4]));
                IPv4Address mdns = IPv4Address.of("224.0.0.251");
                IPv4Address group = IPv4Address.of("239.1.2.3");
                frames.put("link-local multicast", Frames.udp(mac, Frames.multicastMac(mdns), from, mdns, 5353, 5353, new byte[4]));
                frames.put("an IGMP join", Frames.igmpReport(mac, from, group));
                frames.put("multicast data", Frames.udp(mac, Frames.multicastMac(group), from, group, 5000, 5000, new byte[4]));
                frames.put("IPv4 to the uplink's own MAC", Frames.udp(mac, NODE, from, NODE_IP, 40000, NODE_UDP, new byte[4]));
                for (Map.Entry<String, byte[]> frame : frames.entrySet()) {
                    for (int twice = 0; twice < 2; twice++) {
                        Verdict v = site.bridge.feed(host.getKey(), frame.getValue());
                        for (OFPort infra : INFRASTRUCTURE) {
                            assertFalse(v.ports().contains(infra), frame.getKey() + " from " + mac + (gateway ? " with" : " without")
                                    + " a gateway left port " + infra + ": " + v.ports());
                        }
                    }
                }
            }
        }
    }

    /** Attacker test: another site's host sends whatever it likes into the overlay; none of it reaches the uplink or the node's port. */
    @Test
    void nothingFromTheOverlayLeavesTheUplink() {
        TunnelSite lan = new TunnelSite(true, Ipv6Policy.CARRY);
        lan.lease(H1, A, null);
        IPv4Address remote = IPv4Address.of("10.77.3.3");
        MacAddress far = MacAddress.of("02:00:00:00:03:03");
        for (boolean gateway : List.of(false, true)) {
            lan.choose(gateway ? GW1 : null);
            for (byte[] frame : List.of(toInternet(far, remote), Frames.udp(far, LAN_ROUTER, remote, LAN_HOST, 1, 80, new byte[4]),
                    Frames.udp(far, SITE, remote, LAN_HOST, 1, 80, new byte[4]), Frames.arpRequest(far, remote, LAN_HOST),
                    Frames.broadcast(far), Frames.udp(far, NODE, remote, NODE_IP, NODE_UDP, NODE_UDP, new byte[4]),
                    Frames.udp(far, MacAddress.BROADCAST, remote, IPv4Address.NO_MASK, 68, 67, new byte[4]))) {
                Verdict v = lan.bridge.feed(OVERLAY, frame);
                assertFalse(v.ports().contains(UPLINK) || v.ports().contains(LOCAL), "from the overlay: " + v.ports());
            }
        }
    }

    @Test
    void theUplinkAndTheNodesPortAreNoHostPorts() {
        assertEquals(Set.of(H1, H2), site.bridge.pipeline.localPorts());
        TunnelSite noDhcp = new TunnelSite(false, Ipv6Policy.DROP, null);
        Verdict v = noDhcp.bridge.feed(H1, Frames.arpRequest(A, IPv4Address.of("10.77.1.1"), TunnelSite.ROUTER));
        assertEquals(List.of(H1), v.ports(), "without a DHCP server the router address is still answered");
        assertEquals(SITE, Frames.arpSha(v.frameOut(H1)));
    }

    @Test
    void onlyTheNodesOwnTrafficLeavesTheUplinkAndEverythingFromTheUplinkReachesOnlyTheNode() {
        site.choose(GW1);
        IPv4Address ip = site.lease(H1, A, null);
        assertEquals(List.of(UPLINK),
                site.bridge.feed(LOCAL, Frames.udp(NODE, LAN_ROUTER, NODE_IP, PEER, NODE_UDP, 51000, new byte[4])).ports());
        assertEquals(List.of(UPLINK), site.bridge.feed(LOCAL, Frames.tcp(NODE, LAN_ROUTER, NODE_IP, PEER, NODE_TCP, 51000)).ports());
        assertEquals(List.of(UPLINK), site.bridge.feed(LOCAL, Frames.tcp(NODE, LAN_ROUTER, NODE_IP, PEER, 51000, NODE_TCP)).ports());
        assertEquals(List.of(UPLINK),
                site.bridge.feed(LOCAL, Frames.udp(NODE, LAN_ROUTER, NODE_IP, UNDERLAY_DNS, 51000, 53, new byte[12])).ports());
        assertEquals(List.of(UPLINK),
                site.bridge.feed(LOCAL, Frames.arpRequest(NODE, NODE_IP, IPv4Address.of("192.168.1.1"))).ports());
        assertEquals(List.of(UPLINK), site.bridge.feed(LOCAL, Frames.dhcpClient(NODE, 1)).ports(), "the node's own DHCP client");
        long before = site.flowCounter("tunnel_local_dropped");
        List<byte[]> refused = List.of(
                Frames.udp(NODE, LAN_ROUTER, NODE_IP, PEER, 5353, 51000, new byte[4]),
                Frames.udp(NODE, LAN_ROUTER, NODE_IP, IPv4Address.of("8.8.8.8"), 51000, 53, new byte[12]),
                Frames.tcp(NODE, LAN_ROUTER, NODE_IP, PEER, 51000, 443),
                Frames.udp6(NODE, LAN_ROUTER, IPv6Address.of("2001:db8::20"), IPv6Address.of("2001:db8::7"), NODE_UDP, NODE_UDP,
                        new byte[4]),
                Frames.raw(NODE, LAN_ROUTER),
                Frames.udp(NODE, A, NODE_IP, ip, 5000, 5000, new byte[4]));
        for (byte[] frame : refused) {
            assertTrue(site.bridge.feed(LOCAL, frame).dropped(), "the node's port sends only its own underlay traffic");
        }
        assertEquals(before + refused.size(), site.flowCounter("tunnel_local_dropped"));
        assertEquals(List.of(UPLINK), site.bridge.feed(LOCAL, Frames.udp(NODE, A, NODE_IP, ip, NODE_UDP, 5000, new byte[4])).ports(),
                "the node's own port goes to the uplink, never to a host, whatever its destination");
        for (byte[] frame : List.of(Frames.udp(LAN_ROUTER, A, PEER, ip, 443, 40000, new byte[4]), Frames.broadcast(LAN_ROUTER),
                Frames.arpRequest(LAN_ROUTER, IPv4Address.of("192.168.1.1"), ip), Frames.udp(LAN_ROUTER, NODE, PEER, NODE_IP, NODE_UDP,
                        NODE_UDP, new byte[4]))) {
            assertEquals(List.of(LOCAL), site.bridge.feed(UPLINK, frame).ports(), "the uplink reaches the node's port only");
        }
    }

    /** A host announces an IPv6 address (an unsolicited neighbour advertisement), which binds it. */
    private void bindV6(OFPort port, MacAddress mac, IPv6Address ip) {
        site.bridge.feed(port, Frames.neighborAdvertisement(mac, ip, ip));
    }

    @Test
    void aNewChoiceMovesFramesToTheNewGatewayAndReplacesOnlyTheFlowsThatNameTheGateway() {
        IPv4Address ip = site.lease(H1, A, null);
        bindV6(H1, A, IPv6Address.of("2001:db8::a"));
        site.choose(GW1);
        assertEquals(GW1.mac(), Frames.ethDst(site.bridge.feed(H1, toInternet(A, ip)).frameOut(OVERLAY)));
        Set<String> before = site.bridge.table.flowDescriptions();
        site.choose(GW2);
        Set<String> after = site.bridge.table.flowDescriptions();
        assertEquals(GW2.mac(), Frames.ethDst(site.bridge.feed(H1, toInternet(A, ip)).frameOut(OVERLAY)));
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(after);
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        assertTrue(gone.size() <= 3 && added.size() <= 3, "only the steering and DNS reply flows change: " + gone + " -> " + added);
        assertTrue(site.bridge.feed(H1, Frames.udp6(A, SITE, IPv6Address.of("2001:db8::a"), IPv6Address.of("2001:4860::8888"), 40000, 443,
                new byte[4])).dropped(), "the second gateway carries no IPv6: dropped, not leaked");
        site.choose(GW1);
        Verdict v6 = site.bridge.feed(H1, Frames.udp6(A, SITE, IPv6Address.of("2001:db8::a"), IPv6Address.of("2001:4860::8888"), 40000,
                443, new byte[4]));
        assertEquals(List.of(OVERLAY), v6.ports(), "IPv6 is carried to a gateway that carries it");
        assertEquals(GW1.mac(), Frames.ethDst(v6.frameOut(OVERLAY)));
    }

    @Test
    void anOvsRestartOrANodeRestartGivesTheSameTunnelFlows() {
        site.choose(GW1);
        IPv4Address ip = site.lease(H1, A, null);
        Set<String> all = site.bridge.table.flowDescriptions();
        Set<String> tunnel = site.bridge.table.flowDescriptions(Cookies.TUNNEL);
        assertFalse(tunnel.isEmpty());
        site.bridge.reconnect();
        assertEquals(all, site.bridge.table.flowDescriptions(), "an OVS restart: the same flows");
        assertEquals(GW1.mac(), Frames.ethDst(site.bridge.feed(H1, toInternet(A, ip)).frameOut(OVERLAY)));
        SwitchUnderTest restarted = site.build();
        assertEquals(tunnel, restarted.table.flowDescriptions(Cookies.TUNNEL), "a node restart: the same tunnel flows");
    }

    @Test
    void beforeAnyChoiceANewNodesFlowsAreTheFailClosedOnes() {
        TunnelSite fresh = new TunnelSite(false, Ipv6Policy.CARRY);
        Set<String> closed = fresh.bridge.table.flowDescriptions(Cookies.TUNNEL);
        fresh.choose(GW1);
        assertNotEquals(closed, fresh.bridge.table.flowDescriptions(Cookies.TUNNEL));
        fresh.choose(null);
        assertEquals(closed, fresh.bridge.table.flowDescriptions(Cookies.TUNNEL), "no gateway: back to exactly the fail-closed flows");
    }

    /** Attacker test: with allowLan off, no frame to a LAN address gets to the uplink; with it on, it does, and the answer comes back. */
    @Test
    void allowLanDecidesWhetherAHostReachesTheLan() {
        IPv4Address ip = site.lease(H1, A, null);
        byte[] toLan = Frames.udp(A, LAN_ROUTER, ip, LAN_HOST, 40000, 80, new byte[4]);
        byte[] arpLan = Frames.arpRequest(A, ip, LAN_HOST);
        assertFalse(site.bridge.feed(H1, toLan).ports().contains(UPLINK));
        assertFalse(site.bridge.feed(H1, arpLan).ports().contains(UPLINK));
        assertEquals(List.of(LOCAL), site.bridge.feed(UPLINK, Frames.udp(LAN_ROUTER, A, LAN_HOST, ip, 80, 40000, new byte[4])).ports());

        TunnelSite lan = new TunnelSite(true, Ipv6Policy.DROP);
        IPv4Address lanIp = lan.lease(H1, A, null);
        assertEquals(List.of(UPLINK), lan.bridge.feed(H1, Frames.udp(A, LAN_ROUTER, lanIp, LAN_HOST, 40000, 80, new byte[4])).ports());
        assertEquals(List.of(UPLINK), lan.bridge.feed(H1, Frames.arpRequest(A, lanIp, LAN_HOST)).ports());
        assertEquals(List.of(H1), lan.bridge.feed(UPLINK, Frames.udp(LAN_ROUTER, A, LAN_HOST, lanIp, 80, 40000, new byte[4])).ports());
        assertTrue(lan.bridge.feed(H1, toInternet(A, lanIp)).dropped(), "the Internet still goes nowhere without a gateway");
        assertFalse(lan.bridge.feed(H1, Frames.udp(A, LAN_ROUTER, lanIp, INTERNET, 40000, 80, new byte[4])).ports().contains(UPLINK),
                "only LAN addresses leave the uplink");
    }
}
