package io.ringswitch.controller.hosts;

import static io.ringswitch.controller.hosts.HostsSite.OVERLAY;
import static io.ringswitch.controller.hosts.HostsSite.P1;
import static io.ringswitch.controller.hosts.HostsSite.P2;
import static io.ringswitch.controller.hosts.HostsSite.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.arp.ArpNdResponder;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FakeDirectory;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.Tables;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

class PortSecurityAndResponderTest {
    static final MacAddress A = MacAddress.of("02:77:00:00:01:01");
    static final MacAddress B = MacAddress.of("02:77:00:00:01:02");
    static final MacAddress C = MacAddress.of("02:77:00:00:01:03");
    static final MacAddress REMOTE = MacAddress.of("02:77:00:00:02:01");
    static final IPv4Address IP_A = IPv4Address.of("10.77.1.1");
    static final IPv4Address IP_B = IPv4Address.of("10.77.1.2");
    static final IPv4Address IP_C = IPv4Address.of("10.77.1.3");
    static final IPv4Address IP_REMOTE = IPv4Address.of("10.77.2.1");

    HostsSite site;

    @BeforeEach
    void hostsWithLeases() throws Exception {
        site = new HostsSite();
        site.directory.remote(inet(IP_REMOTE), REMOTE, "site-2");
        site.apply(site.hosts.leased(P1, A, inet(IP_A)));
        site.apply(site.hosts.leased(P2, B, inet(IP_B)));
        site.apply(site.hosts.leased(P3, C, inet(IP_C)));
    }

    @Test
    void anArpRequestForAKnownRemoteAddressLeavesTheAskingPortAsAReplyFromItsMacAndNothingFloods() {
        Verdict first = site.send(P1, Frames.arpRequest(A, IP_A, IP_REMOTE));
        assertEquals(List.of(P1), first.ports());
        assertReplyFrom(first.frameOut(P1), REMOTE, IP_REMOTE, A, IP_A);
        assertEquals(1, site.arp.stats().arpAnsweredByController());

        Verdict second = site.send(P1, Frames.arpRequest(A, IP_A, IP_REMOTE));
        assertEquals(List.of(P1), second.ports());
        assertFalse(second.toController(), "the responder flow answers the second request in the datapath");
        assertReplyFrom(second.frameOut(P1), REMOTE, IP_REMOTE, A, IP_A);
        assertEquals(1, site.table.packets(Tables.PUNT, ArpNdResponder.RESPONDER));
    }

    @Test
    void aLocalHostIsAnsweredInTheDatapathFromAnyPortTheOverlayIncludedButNotFromItsOwn() {
        Verdict fromC = site.send(P3, Frames.arpRequest(C, IP_C, IP_A));
        assertEquals(List.of(P3), fromC.ports());
        assertFalse(fromC.toController());
        assertReplyFrom(fromC.frameOut(P3), A, IP_A, C, IP_C);

        MacAddress far = MacAddress.of("02:77:00:00:03:01");
        Verdict fromRing = site.send(OVERLAY, Frames.arpRequest(far, IPv4Address.of("10.77.3.1"), IP_A));
        assertEquals(List.of(OVERLAY), fromRing.ports());
        assertReplyFrom(fromRing.frameOut(OVERLAY), A, IP_A, far, IPv4Address.of("10.77.3.1"));

        Verdict probe = site.send(P1, Frames.arpRequest(A, IPv4Address.NONE, IP_A));
        assertFalse(probe.ports().contains(P1), "a host's RFC 5227 probe for its own address must not be answered");
    }

    @Test
    void aHostThatSendsFromAnotherHostsMacIsDroppedAndCounted() {
        Verdict spoofed = site.send(P2, Frames.raw(A, C));
        assertTrue(spoofed.dropped());
        Verdict spoofedIp = site.send(P2, Frames.udp(A, C, IP_A, IP_C, 5000, 5000, new byte[8]));
        assertTrue(spoofedIp.dropped());
        assertEquals(2, spoofDropped());
        assertEquals(P1, site.hosts.portOf(A), "the victim keeps its MAC");
    }

    @Test
    void aPortWithRoomStillCannotTakeAMacThatAnotherPortOwns() {
        site.apply(site.hosts.leaseEnded(P2, B, inet(IP_B)));
        site.removePort(P2);
        site.base.localPort(P2);
        site.table.portAdded(P2);
        site.table.apply(site.portSecurity.portAdded(new io.ringswitch.controller.pipeline.SwitchManager.SwitchPort(P2, "p2", false, false)));
        Verdict spoofed = site.send(P2, Frames.arpRequest(A, IP_A, IP_C));
        assertTrue(spoofed.outputs().isEmpty());
        assertEquals(1, site.hosts.stats().macConflicts());
        assertEquals(P1, site.hosts.portOf(A));
    }

    @Test
    void aGratuitousArpForAnAddressBoundToAnotherPortIsRefusedAndTheVictimStillAnswers() {
        Verdict attack = site.send(P2, Frames.arpRequest(B, IP_A, IP_A));
        assertTrue(attack.outputs().isEmpty(), "the forged announcement reaches nobody");
        assertEquals(1, site.hosts.stats().addressConflicts());

        Verdict again = site.send(P2, Frames.arpRequest(B, IP_A, IP_A));
        assertTrue(again.dropped(), "a refused address is dropped in the datapath, not asked about again");
        assertEquals(1, spoofDropped());

        Verdict victim = site.send(P3, Frames.arpRequest(C, IP_C, IP_A));
        assertReplyFrom(victim.frameOut(P3), A, IP_A, C, IP_C);
        assertEquals(List.of(P3), victim.ports());
    }

    @Test
    void aGratuitousArpForAnAddressAtAnotherSiteIsRefusedAndThatAddressStillAnswersWithItsOwnMac() {
        Verdict attack = site.send(P2, Frames.arpReply(B, IP_REMOTE, MacAddress.BROADCAST, IP_REMOTE));
        assertTrue(attack.outputs().isEmpty());
        assertEquals(1, site.hosts.stats().addressConflicts());
        assertTrue(site.directory.published.stream().noneMatch(e -> e.mac().equals(B) && e.ip().equals(inet(IP_REMOTE))));

        Verdict asked = site.send(P3, Frames.arpRequest(C, IP_C, IP_REMOTE));
        assertReplyFrom(asked.frameOut(P3), REMOTE, IP_REMOTE, C, IP_C);
    }

    @Test
    void ipFromASourceAddressTheHostDoesNotOwnIsDroppedAndCounted() {
        Verdict stolen = site.send(P2, Frames.udp(B, A, IP_REMOTE, IP_A, 5000, 5000, new byte[8]));
        assertTrue(stolen.outputs().isEmpty());
        Verdict again = site.send(P2, Frames.udp(B, A, IP_REMOTE, IP_A, 5000, 5000, new byte[8]));
        assertTrue(again.dropped());
        Verdict other = site.send(P2, Frames.udp(B, A, IP_C, IP_A, 5000, 5000, new byte[8]));
        assertTrue(other.outputs().isEmpty());
        assertEquals(2, site.hosts.stats().addressConflicts());

        Verdict own = site.send(P2, Frames.udp(B, A, IP_B, IP_A, 5000, 5000, new byte[8]));
        assertFalse(own.outputs().isEmpty(), "its own address passes");
    }

    @Test
    void aStaticHostIsBoundByItsFirstArpWhenTheDirectoryDoesNotPlaceItsAddressElsewhere() throws Exception {
        site.apply(site.hosts.leaseEnded(P3, C, inet(IP_C)));
        IPv4Address staticIp = IPv4Address.of("10.77.1.50");
        Verdict first = site.send(P3, Frames.arpRequest(C, staticIp, IP_A));
        assertReplyFrom(first.frameOut(P3), A, IP_A, C, staticIp);
        assertEquals(P3, site.hosts.portOf(C));
        assertTrue(site.directory.published.contains(new FakeDirectory.Entry(inet(staticIp), C)));
        assertEquals(List.of(inet(staticIp)), site.hosts.addresses(C));
    }

    @Test
    void whenAPortGoesItsFlowsAndBindingsGoAndTheDirectoryHearsAWithdraw() {
        int before = site.table.flowCount(Cookies.PORT_SECURITY);
        site.removePort(P1);
        assertNull(site.hosts.portOf(A));
        assertTrue(site.directory.withdrawn.contains(new FakeDirectory.Entry(inet(IP_A), A)));
        assertTrue(site.table.flowCount(Cookies.PORT_SECURITY) < before);
        Verdict asked = site.send(P3, Frames.arpRequest(C, IP_C, IP_A));
        assertTrue(asked.toController(), "no responder flow for the gone host");
        assertFalse(asked.ports().contains(P3), "nobody answers for the gone host");
    }

    @Test
    void afterAReconnectTheSameFlowsComeBack() {
        int flows = site.table.flowCount();
        site.connect();
        assertEquals(flows, site.table.flowCount());
        Verdict asked = site.send(P3, Frames.arpRequest(C, IP_C, IP_A));
        assertFalse(asked.toController());
        assertReplyFrom(asked.frameOut(P3), A, IP_A, C, IP_C);
        assertTrue(site.send(P2, Frames.raw(A, C)).dropped());
    }

    private long spoofDropped() {
        return io.ringswitch.controller.hosts.PortSecurity.dropPriorities().stream()
                .mapToLong(p -> site.table.packets(Tables.PORT_SECURITY, p)).sum();
    }

    static void assertReplyFrom(byte[] frame, MacAddress mac, IPv4Address ip, MacAddress to, IPv4Address toIp) {
        assertEquals(2, Frames.arpOp(frame));
        assertEquals(mac, Frames.ethSrc(frame));
        assertEquals(to, Frames.ethDst(frame));
        assertEquals(mac, Frames.arpSha(frame));
        assertEquals(ip, Frames.arpSpa(frame));
        assertEquals(to, Frames.arpTha(frame));
        assertEquals(toIp, Frames.arpTpa(frame));
    }

    static InetAddress inet(IPv4Address ip) {
        try {
            return InetAddress.getByAddress(ip.getBytes());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
