package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.hosts.PortSecurity;
import io.ringswitch.controller.pipeline.FakeDirectory;
import io.ringswitch.controller.pipeline.FakeFlowTable.Output;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Tables;
import org.projectfloodlight.openflow.protocol.OFMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One site's bridge with every real manager (built by {@link SwitchManagers}), an in-memory site
 * directory and address pool, on the fake Open vSwitch: what hosts, a router and attackers see.
 */
class SwitchBehaviourTest {
    private static final OFPort H1 = OFPort.of(1);
    private static final OFPort H2 = OFPort.of(2);
    private static final OFPort ROUTER = OFPort.of(3);
    private static final OFPort OVERLAY = OFPort.of(4);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.of("02:00:00:00:00:0b");
    private static final MacAddress C = MacAddress.of("02:00:00:00:00:0c");
    private static final MacAddress R = MacAddress.of("02:00:00:00:00:99");
    private static final MacAddress SITE = MacAddress.of("02:52:00:00:00:01");
    private static final IPv4Address SERVER = IPv4Address.of("10.77.255.254");
    private static final IPv4Address IP_B = IPv4Address.of("10.77.1.2");
    private static final IPv4Address GROUP = IPv4Address.of("239.1.1.1");
    private static final int FLOOD_PPS = 50;
    private static final int PACKET_IN_PPS = 20;
    private static final int DISCOVER = 1;
    private static final int OFFER = 2;
    private static final int REQUEST = 3;
    private static final int ACK = 5;
    private static final SwitchSettings.Dhcp DHCP = new SwitchSettings.Dhcp(IPv4Address.of("10.77.0.0").getInt(), 16,
            IPv4Address.of("10.77.200.1").getInt(), IPv4Address.of("10.77.200.254").getInt(), SERVER.getInt(), 0,
            List.of(), 600);

    private final FakeDirectory directory = new FakeDirectory();
    private final MemoryPool pool = new MemoryPool();
    private SwitchUnderTest bridge = site(DHCP);

    private SwitchUnderTest site(SwitchSettings.Dhcp dhcp) {
        SwitchSettings settings = new SwitchSettings(SITE, 1400, dhcp, SwitchSettings.Multicast.defaults(),
                new SwitchSettings.Storm(FLOOD_PPS, PACKET_IN_PPS), Set.of("router0"), 1);
        ControllerConfig config = ControllerConfig.of(new InetSocketAddress("127.0.0.1", 0), "rstap0", settings);
        OverlayServices overlay = new OverlayServices(directory, pool, GroupDirectory.none());
        return new SwitchUnderTest("rstap0", settings.trustedPorts(), context -> SwitchManagers.build(context, config, overlay),
                H1, H2, ROUTER, OVERLAY)
                .connect(SwitchUnderTest.port(H1, "h1"), SwitchUnderTest.port(H2, "h2"),
                        SwitchUnderTest.port(ROUTER, "router0"), SwitchUnderTest.port(OVERLAY, "rstap0"));
    }

    /** A fresh host leases an address through the site's DHCP server: the leased address. */
    private IPv4Address lease(OFPort port, MacAddress mac) {
        Verdict offer = bridge.feed(port, Frames.dhcpClient(mac, DISCOVER));
        assertEquals(List.of(port), offer.ports(), "the offer leaves the client's port only");
        assertEquals(OFFER, Frames.dhcpMessageType(offer.frameOut(port)));
        IPv4Address ip = Frames.dhcpYiaddr(offer.frameOut(port));
        Verdict ack = bridge.feed(port, Frames.dhcpClient(mac, REQUEST, ip, SERVER));
        assertEquals(List.of(port), ack.ports(), "the ack leaves the client's port only");
        assertEquals(ACK, Frames.dhcpMessageType(ack.frameOut(port)));
        assertEquals(ip, Frames.dhcpYiaddr(ack.frameOut(port)));
        return ip;
    }

    /** {@code mac} is bound to {@code port} and announces {@code ip} by a gratuitous ARP, which binds it. */
    private void staticHost(OFPort port, MacAddress mac, IPv4Address ip) {
        bridge.bind(port, mac);
        bridge.feed(port, Frames.arpRequest(mac, ip, ip));
        assertTrue(bridge.table.process(port, Frames.arpRequest(mac, ip, ip)).packetIns().isEmpty(), ip + " is bound");
    }

    private long counter(String name) {
        return bridge.pipeline.managers().stream().mapToLong(m -> m.counters().getOrDefault(name, 0L)).sum();
    }

    private static byte[] datagram(MacAddress src, MacAddress dst, IPv4Address from, IPv4Address to, int n) {
        return Frames.udp(src, dst, from, to, 5000, 5000, new byte[] {(byte) n});
    }

    @Test
    void aFreshHostsDiscoverIsOfferedOutOfItsPortOnlyAndItsLeasePassesAndIsAnsweredByTheSwitch() {
        staticHost(H2, B, IP_B);
        IPv4Address ip = lease(H1, A);
        Verdict datagram = bridge.feed(H1, datagram(A, B, ip, IP_B, 1));
        assertEquals(List.of(H2), datagram.ports(), "the leased address passes port security");
        assertTrue(datagram.packetIns().isEmpty());
        for (OFPort asker : List.of(H2, ROUTER, OVERLAY)) {
            MacAddress sender = asker.equals(H2) ? B : C;
            Verdict v = bridge.table.process(asker, Frames.arpRequest(sender, asker.equals(H2) ? IP_B : IPv4Address.of("10.77.1.9"), ip));
            assertEquals(List.of(asker), v.ports(), "answered back to port " + asker + " by the datapath");
            assertTrue(v.packetIns().isEmpty());
            byte[] reply = v.frameOut(asker);
            assertEquals(2, Frames.arpOp(reply));
            assertEquals(A, Frames.arpSha(reply));
            assertEquals(ip, Frames.arpSpa(reply));
            assertEquals(sender, Frames.ethDst(reply));
        }
    }

    @Test
    void aNeighbourAdvertisementForAnotherHostsAddressIsDroppedAndItsOwnerKeepsIt() {
        IPv6Address victim = IPv6Address.of("fd00:77::2");
        bridge.bind(H2, B);
        bridge.feed(H2, Frames.neighborAdvertisement(B, IPv6Address.of("fe80::b"), victim));
        assertEquals(List.of(H1, ROUTER, OVERLAY), bridge.feed(H2, Frames.neighborAdvertisement(B, IPv6Address.of("fe80::b"),
                victim)).ports(), "the owner's advertisement for its own address passes (it bound the address)");
        bridge.bind(H1, A);
        long spoofed = bridge.table.packets(PortSecurity.DROP_COOKIE);
        // From a link-local source, which passes for other traffic: the claim is the target.
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), bridge.feed(H1, Frames.neighborAdvertisement(A, IPv6Address.of("fe80::a"), victim))
                    .ports(), "an advertisement that says the victim's address is at the attacker goes nowhere");
        }
        assertTrue(counter("address_conflicts") >= 1);
        assertTrue(bridge.table.packets(PortSecurity.DROP_COOKIE) > spoofed, "dropped in the datapath after the refusal");
        assertEquals(List.of(H1, ROUTER, OVERLAY), bridge.feed(H2, Frames.neighborAdvertisement(B, IPv6Address.of("fe80::b"),
                victim)).ports(), "the owner still announces it");
        assertEquals(List.of(H2, ROUTER, OVERLAY), bridge.feed(H1, Frames.neighborAdvertisement(A, IPv6Address.of("fe80::a"),
                IPv6Address.of("fe80::a"))).ports(), "a host's advertisement for its own link-local address passes");
    }

    @Test
    void aFramePuntedBeforeItsBindingsFlowsArrivedGoesOnAndIsNotLost() {
        IPv4Address ipA = IPv4Address.of("10.77.1.1");
        staticHost(H1, A, ipA);
        staticHost(H2, B, IP_B);
        // In a real switch, frames keep coming while the controller binds: some reach it after the binding.
        byte[] late = datagram(A, B, ipA, IP_B, 7);
        List<OFMessage> answer = bridge.pipeline.packetIn(SwitchUnderTest.packetIn(Cookies.PORT_SECURITY,
                Tables.PORT_SECURITY, H1, late));
        assertEquals(List.of(H2), bridge.table.apply(answer).ports(), "re-injected, and delivered");
    }

    @Test
    void anAddressFloodedBecauseNobodyKnewItIsAnsweredByAFlowOnceItsSitePublishedIt() throws Exception {
        IPv4Address ipA = IPv4Address.of("10.77.1.1");
        IPv4Address remote = IPv4Address.of("10.77.2.9");
        MacAddress remoteMac = MacAddress.of("02:00:00:00:02:09");
        staticHost(H1, A, ipA);
        assertEquals(List.of(H2, ROUTER, OVERLAY), bridge.feed(H1, Frames.arpRequest(A, ipA, remote)).ports(),
                "nobody published it: the request is flooded, into the overlay too");
        // The remote host answers the flood; its site binds and publishes it.
        directory.remote(InetAddress.getByAddress(remote.getBytes()), remoteMac, "site2");
        bridge.advanceMillis(1_000);
        bridge.table.apply(bridge.pipeline.tick());
        Verdict again = bridge.feed(H1, Frames.arpRequest(A, ipA, remote));
        assertEquals(List.of(H1), again.ports(), "answered to the asker alone");
        assertTrue(again.packetIns().isEmpty(), "by the responder flow, not the controller");
        assertEquals(remoteMac, Frames.arpSha(again.frameOut(H1)));
        assertEquals(1, counter("arp_learned_after_flood"));
    }

    @Test
    void aLookupTheDirectoryNeverAnswersIsGivenUpAndTheNextRequestAsksAgain() {
        IPv4Address ipA = IPv4Address.of("10.77.1.1");
        IPv4Address remote = IPv4Address.of("10.77.2.9");
        staticHost(H1, A, ipA);
        directory.slow();
        int before = directory.lookups();
        bridge.feed(H1, Frames.arpRequest(A, ipA, remote));
        bridge.feed(H1, Frames.arpRequest(A, ipA, remote));
        assertEquals(before + 1, directory.lookups(), "one lookup while it is out");
        bridge.advanceMillis(11_000);
        bridge.table.apply(bridge.pipeline.tick());
        assertEquals(1, counter("arp_nd_lookups_given_up"));
        bridge.feed(H1, Frames.arpRequest(A, ipA, remote));
        assertEquals(before + 2, directory.lookups(), "a lost lookup does not keep its address from being asked about");
    }

    @Test
    void otherEtherTypesPassFromABoundMacOnlyAndAnUnboundOrForeignMacFloodsNothing() {
        bridge.bind(H1, A);
        bridge.bind(H2, B);
        MacAddress lldp = MacAddress.of("01:80:c2:00:00:0e");
        for (int etherType : List.of(0x88cc, 0x88b5)) {
            assertEquals(List.of(H2, ROUTER, OVERLAY), bridge.feed(H1, Frames.raw(A, MacAddress.BROADCAST, etherType)).ports());
            assertEquals(List.of(H2, ROUTER, OVERLAY), bridge.feed(H1, Frames.raw(A, lldp, etherType)).ports());
            assertEquals(List.of(), bridge.feed(H1, Frames.raw(C, MacAddress.BROADCAST, etherType)).ports(),
                    "a MAC not bound to a full port");
            assertEquals(List.of(), bridge.feed(H1, Frames.raw(B, MacAddress.BROADCAST, etherType)).ports(),
                    "a MAC bound to another port");
        }
        directory.remote(IPv4Address.of("10.77.9.9").toInetAddress(), C, "elsewhere");
        OFPort fresh = OFPort.of(5);
        bridge.table.portAdded(fresh);
        bridge.table.apply(bridge.pipeline.portStatus(SwitchUnderTest.OF.buildPortStatus()
                .setReason(OFPortReason.ADD)
                .setDesc(SwitchUnderTest.port(fresh, "h5")).build()));
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), bridge.feed(fresh, Frames.raw(C, MacAddress.BROADCAST, 0x88cc)).ports(),
                    "a MAC the directory places at another site");
        }
        assertTrue(counter("mac_conflicts") >= 1);
    }

    @Test
    void aHostsFirstFramesWhileTheDirectoryThinksAreAllDeliveredInOrderAfterItsBinding() {
        staticHost(H2, B, IP_B);
        directory.slow();
        IPv4Address ip = IPv4Address.of("10.77.1.1");
        int frames = 20;
        for (int n = 0; n < frames; n++) {
            assertEquals(List.of(), bridge.feed(H1, datagram(A, B, ip, IP_B, n)).ports(), "held while the directory thinks");
        }
        List<Output> out = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            bridge.advanceMillis(1_000);
            directory.answer();
            out.addAll(bridge.settle());
        }
        assertEquals(frames, out.size(), "every frame, none lost: " + out);
        for (int n = 0; n < frames; n++) {
            assertEquals(H2, out.get(n).port());
            assertArrayEquals(datagram(A, B, ip, IP_B, n), out.get(n).frame(), "frame " + n + " in order");
        }
        assertEquals(0, counter("host_frames_held_dropped"));
    }

    @Test
    void aNewHostsFirstFrameIsDeliveredAfterOneRoundOfTheDirectoryItsMacAndAddressAskedAboutAtOnce() {
        staticHost(H2, B, IP_B);
        directory.slow();
        IPv4Address ip = IPv4Address.of("10.77.1.1");
        int before = directory.lookups();
        assertEquals(List.of(), bridge.feed(H1, datagram(A, B, ip, IP_B, 0)).ports(), "held while the directory thinks");
        assertEquals(before + 2, directory.lookups(), "the MAC and the address, both at once");
        bridge.advanceMillis(1_000);
        directory.answer();
        List<Output> out = bridge.settle();
        assertEquals(List.of(H2), out.stream().map(Output::port).toList(), "delivered after one round: " + out);
        assertEquals(before + 2, directory.lookups(), "the address claim used the answer asked for early");
    }

    @Test
    void aClaimTheDirectoryNeverAnswersGivesUpItsSlotAndTheHostIsAskedAboutAgain() {
        directory.slow();
        bridge.feed(H1, Frames.broadcast(A));
        assertEquals(1, counter("host_claims_pending"));
        bridge.advanceMillis(11_000);
        bridge.table.apply(bridge.pipeline.tick());
        assertEquals(0, counter("host_claims_pending"));
        assertEquals(1, counter("host_claims_timed_out"));
        int asked = directory.lookups();
        bridge.feed(H1, Frames.broadcast(A));
        assertEquals(asked + 1, directory.lookups(), "asked again");
        directory.answer();
        List<Output> out = bridge.settle();
        assertEquals(List.of(H2, ROUTER, OVERLAY), out.stream().map(Output::port).toList(),
                "the late answer binds, and the frame held by the new claim follows: " + out);
        assertTrue(bridge.table.process(H1, Frames.broadcast(A)).packetIns().isEmpty());
    }

    @Test
    void aTrustedPortSendsFromAnySourceAndItsDhcpServerReachesHostsWhenTheSiteRunsNone() {
        bridge = site(null);
        staticHost(H2, B, IP_B);
        for (MacAddress src : List.of(R, C, MacAddress.of("02:00:00:00:77:77"))) {
            Verdict routed = bridge.feed(ROUTER, datagram(src, B, IPv4Address.of("192.0.2.7"), IP_B, 1));
            assertEquals(List.of(H2), routed.ports());
            assertTrue(routed.packetIns().isEmpty(), "nothing asked about a trusted port's sources");
        }
        bridge.bind(H1, A);
        assertTrue(bridge.feed(H1, Frames.dhcpClient(A, DISCOVER)).ports().contains(ROUTER), "the router hears the client");
        Verdict offer = bridge.feed(ROUTER, Frames.dhcpServer(R, IPv4Address.of("10.77.0.1"), A, OFFER));
        assertTrue(offer.ports().containsAll(List.of(H1, H2)), "the router's server reaches the hosts: " + offer.ports());
        Verdict rogue = bridge.feed(H2, Frames.dhcpServer(B, IP_B, A, OFFER));
        assertEquals(List.of(), rogue.ports(), "a server on an untrusted port reaches nobody");
    }

    @Test
    void afterAReconnectBindingsResponderFlowsLeasesGroupsAndMetersComeBackWithoutPacketIns() {
        staticHost(H2, B, IP_B);
        IPv4Address ip = lease(H1, A);
        bridge.feed(H2, Frames.igmpReport(B, IP_B, GROUP));
        int flows = bridge.table.flowCount();
        bridge.reconnect();
        assertEquals(flows, bridge.table.flowCount(), "the same flows again");
        assertEquals(2, bridge.table.groupCount(), "the multicast group and the flood group");
        for (OFPort port : List.of(H1, H2, ROUTER)) {
            assertTrue(bridge.table.hasMeter(Meters.flood(port)) && bridge.table.hasMeter(Meters.packetIn(port)));
        }
        long packetIns = bridge.packetIns();
        assertEquals(List.of(H2), bridge.feed(H1, datagram(A, B, ip, IP_B, 1)).ports(), "the lease's binding");
        assertEquals(List.of(H1), bridge.feed(H2, datagram(B, A, IP_B, ip, 2)).ports(), "the static host's binding");
        assertEquals(List.of(H2), bridge.feed(H2, Frames.arpRequest(B, IP_B, ip)).ports(), "the responder answers");
        assertEquals(List.of(H2, OVERLAY), bridge.feed(H1, datagram(A, Frames.multicastMac(GROUP), ip, GROUP, 3)).ports(),
                "the group's member, and the overlay until the directory has twice said nobody elsewhere wants it");
        assertEquals(packetIns, bridge.packetIns(), "no packet-in for any of it");
        bridge.feed(H1, datagram(A, B, IPv4Address.of("10.77.1.77"), IP_B, 4));
        assertEquals(packetIns + 1, bridge.packetIns(), "a new address of a bound host is still asked about");
    }

    @Test
    void aHostThatTakesAnotherHostsMacIsDroppedAndCounted() {
        staticHost(H1, A, IPv4Address.of("10.77.1.1"));
        staticHost(H2, B, IP_B);
        long spoofed = bridge.table.packets(PortSecurity.DROP_COOKIE);
        for (byte[] f : List.of(Frames.broadcast(A), datagram(A, C, IPv4Address.of("10.77.1.1"), IP_B, 1),
                Frames.arpRequest(A, IPv4Address.of("10.77.1.1"), IP_B))) {
            Verdict v = bridge.feed(H2, f);
            assertEquals(List.of(), v.ports(), "port 2 is full: A's MAC from it goes nowhere");
            assertTrue(v.packetIns().isEmpty());
        }
        assertEquals(spoofed + 3, bridge.table.packets(PortSecurity.DROP_COOKIE));
        OFPort fresh = OFPort.of(5);
        bridge.table.portAdded(fresh);
        bridge.table.apply(bridge.pipeline.portStatus(SwitchUnderTest.OF.buildPortStatus()
                .setReason(OFPortReason.ADD)
                .setDesc(SwitchUnderTest.port(fresh, "h5")).build()));
        assertEquals(List.of(), bridge.feed(fresh, Frames.broadcast(A)).ports(), "a port with room asks, and is refused");
        assertEquals(1, counter("mac_conflicts"));
        assertEquals(List.of(H1), bridge.feed(H2, datagram(B, A, IP_B, IPv4Address.of("10.77.1.1"), 2)).ports(),
                "A still lives on port 1");
    }

    @Test
    void aHostThatAsksForAnotherHostsLeaseInItsNameGetsNothingAndMovesNothing() {
        IPv4Address ip = lease(H1, A);
        staticHost(H2, B, IP_B);
        int release = 7;
        for (int type : List.of(REQUEST, release, DISCOVER)) {
            byte[] inAsName = Frames.dhcpClient(A, type, ip, SERVER);
            System.arraycopy(B.getBytes(), 0, inAsName, 6, 6);
            assertEquals(List.of(), bridge.feed(H2, inAsName).ports(), "B sends as A's client (message type " + type + ")");
        }
        assertEquals(List.of(H1), bridge.feed(H2, datagram(B, A, IP_B, ip, 1)).ports(), "A's MAC stays on port 1");
        Verdict fromA = bridge.feed(H1, datagram(A, B, ip, IP_B, 2));
        assertEquals(List.of(H2), fromA.ports(), "and its lease stays bound");
        assertTrue(fromA.packetIns().isEmpty());
    }

    @Test
    void aBroadcastFloodIsMeteredAtFloodPpsWhileAWellBehavedHostsBroadcastStillPasses() {
        bridge.bind(H1, A);
        bridge.bind(H2, B);
        bridge.advanceMillis(5_000);
        int reachedH2 = 0;
        for (int i = 0; i < 10 * FLOOD_PPS; i++) {
            reachedH2 += bridge.feed(H1, Frames.broadcast(A)).ports().contains(H2) ? 1 : 0;
        }
        assertEquals(FLOOD_PPS, reachedH2, "one second's burst");
        assertEquals(9 * FLOOD_PPS, bridge.table.meterDrops(Meters.flood(H1)));
        assertEquals(List.of(H1, ROUTER, OVERLAY), bridge.feed(H2, Frames.broadcast(B)).ports());
    }

    @Test
    void aPacketInFloodFromRandomSourcesIsMeteredAndTheClaimsWaitingStayBounded() {
        bridge.bind(H1, A);
        bridge.bind(H2, B);
        directory.slow();
        Random random = new Random(16);
        long before = bridge.packetIns();
        int seconds = 60;
        for (int second = 0; second < seconds; second++) {
            bridge.advanceMillis(1_000);
            for (int i = 0; i < 100; i++) {
                IPv4Address src = IPv4Address.of(0x0a4d0000 | random.nextInt(0x10000));
                bridge.feed(H1, datagram(A, MacAddress.BROADCAST, src, IPv4Address.of("10.77.255.255"), i));
            }
        }
        long asked = bridge.packetIns() - before;
        assertTrue(asked <= (long) PACKET_IN_PPS * (seconds + 1), asked + " packet-ins");
        assertTrue(bridge.table.meterDrops(Meters.packetIn(H1)) >= 100L * seconds - asked);
        assertTrue(counter("host_claims_pending") <= 1024, counter("host_claims_pending") + " claims waiting");
        assertEquals(1024, counter("host_claims_pending"), "the bound is reached: " + asked + " packet-ins");
        assertTrue(counter("host_frames_held_dropped") > 0);
        assertEquals(List.of(H1, ROUTER, OVERLAY), bridge.feed(H2, Frames.broadcast(B)).ports(), "another host is not held up");
    }

    /**
     * A full-tunnel client end to end: a host leases, looks up a name of the group, sends to the
     * Internet through the gateway and gets the answer back; the uplink carries only the node's own
     * datagram, and the same holds after the gateway fails and another is chosen.
     */
    @Test
    void aFullTunnelClientReachesTheInternetOnlyThroughItsGateway() {
        TunnelSite tunnel = new TunnelSite(false, SwitchSettings.Ipv6Policy.DROP);
        tunnel.choose(TunnelSite.GW1);
        IPv4Address ip = tunnel.lease(TunnelSite.H1, A, "alice");
        assertEquals(List.of(ip.toInetAddress()), tunnel.names.names.get("alice"));
        IPv4Address internet = IPv4Address.of("198.51.100.10");
        List<OFPort> seen = new ArrayList<>();
        for (var gateway : List.of(TunnelSite.GW1, TunnelSite.GW2)) {
            tunnel.choose(gateway);
            Verdict out = tunnel.bridge.feed(TunnelSite.H1, datagram(A, TunnelSite.SITE, ip, internet, 1));
            assertEquals(List.of(TunnelSite.OVERLAY), out.ports());
            assertEquals(gateway.mac(), Frames.ethDst(out.frameOut(TunnelSite.OVERLAY)));
            Verdict back = tunnel.bridge.feed(TunnelSite.OVERLAY, datagram(gateway.mac(), A, internet, ip, 2));
            assertEquals(List.of(TunnelSite.H1), back.ports(), "the answer comes back the same way");
            seen.addAll(out.ports());
            seen.addAll(back.ports());
            tunnel.choose(null);
            Verdict closed = tunnel.bridge.feed(TunnelSite.H1, datagram(A, TunnelSite.SITE, ip, internet, 3));
            assertTrue(closed.dropped(), "between gateways: dropped");
        }
        Verdict own = tunnel.bridge.feed(TunnelSite.LOCAL, Frames.udp(MacAddress.of("02:bb:00:00:00:01"), R,
                IPv4Address.of("192.168.1.20"), IPv4Address.of("203.0.113.7"), TunnelSite.NODE_UDP, TunnelSite.NODE_UDP, new byte[4]));
        assertEquals(List.of(TunnelSite.UPLINK), own.ports());
        assertTrue(seen.stream().noneMatch(TunnelSite.INFRASTRUCTURE::contains), "no host frame ever touched the uplink: " + seen);
    }
}
