package io.ringswitch.controller.hosts;

import static io.ringswitch.controller.hosts.HostsSite.P1;
import static io.ringswitch.controller.hosts.HostsSite.P2;
import static io.ringswitch.controller.hosts.HostsSite.P3;
import static io.ringswitch.controller.hosts.PortSecurityAndResponderTest.A;
import static io.ringswitch.controller.hosts.PortSecurityAndResponderTest.B;
import static io.ringswitch.controller.hosts.PortSecurityAndResponderTest.C;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.packet.NdCodec;
import io.ringswitch.controller.packet.NdMessage;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.Frames;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;

class NeighborDiscoveryTest {
    static final IPv6Address V6_A = IPv6Address.of("2001:db8:77::1");
    static final IPv6Address LL_C = IPv6Address.of("fe80::77:3");

    @Test
    void aSolicitationForAKnownAddressGetsAnAdvertisementWithAValidChecksumOutOfTheAskingPort() throws Exception {
        HostsSite site = new HostsSite();
        site.apply(site.hosts.leased(P1, A, InetAddress.getByAddress(V6_A.getBytes())));
        site.apply(site.hosts.leased(P3, C, PortSecurityAndResponderTest.inet(IPv4Address.of("10.77.1.3"))));

        Verdict asked = site.send(P3, Frames.neighborSolicitation(C, LL_C, V6_A));
        assertEquals(List.of(P3), asked.ports());
        NdMessage na = NdCodec.decode(asked.frameOut(P3));
        assertEquals(NdMessage.ADVERTISEMENT, na.type());
        assertEquals(NdMessage.SOLICITED | NdMessage.OVERRIDE, na.flags());
        assertEquals(V6_A, na.target());
        assertEquals(V6_A, na.src());
        assertEquals(LL_C, na.dst());
        assertEquals(A, na.linkLayer());
        assertEquals(A, na.ethSrc());
        assertEquals(C, na.ethDst());
        assertEquals(1, site.arp.stats().ndAnswered());
    }

    @Test
    void aForgedSolicitationIsRefusedAndCounted() {
        HostsSite site = new HostsSite();
        site.apply(site.hosts.leased(P3, C, PortSecurityAndResponderTest.inet(IPv4Address.of("10.77.1.3"))));
        byte[] ns = Frames.neighborSolicitation(C, LL_C, V6_A);
        ns[ns.length - 30] ^= 1;
        assertThrows(MalformedPacketException.class, () -> NdCodec.decode(ns));
        Verdict asked = site.send(P3, ns);
        assertTrue(asked.outputs().isEmpty());
        assertEquals(1, site.arp.stats().malformed());
    }

    @Test
    void requestsForUnknownAddressesAreFloodedWithinTheirBudgetAndCountedBeyondIt() {
        HostsSite site = new HostsSite();
        site.apply(site.hosts.leased(P2, B, PortSecurityAndResponderTest.inet(IPv4Address.of("10.77.1.2"))));
        IPv4Address from = IPv4Address.of("10.77.1.2");
        Verdict first = site.send(P2, Frames.arpRequest(B, from, IPv4Address.of("10.77.9.1")));
        assertEquals(List.of(P1, P3, HostsSite.OVERLAY), first.ports());
        for (int i = 2; i <= 40; i++) {
            site.send(P2, Frames.arpRequest(B, from, IPv4Address.of("10.77.9." + i)));
        }
        assertEquals(20, site.arp.stats().arpFlooded());
        assertEquals(20, site.arp.stats().arpRateLimited());
    }

    @Test
    void aDadProbeForAnAddressAnotherHostOwnsIsRefusedAndAFreeOneIsBound() throws Exception {
        HostsSite site = new HostsSite();
        site.apply(site.hosts.leased(P1, A, InetAddress.getByAddress(V6_A.getBytes())));
        site.apply(site.hosts.leased(P2, B, PortSecurityAndResponderTest.inet(IPv4Address.of("10.77.1.2"))));
        site.send(P2, dadProbe(B, V6_A));
        assertEquals(1, site.hosts.stats().addressConflicts());
        IPv6Address free = IPv6Address.of("2001:db8:77::2");
        site.send(P2, dadProbe(B, free));
        assertEquals(List.of(InetAddress.getByAddress(IPv4Address.of("10.77.1.2").getBytes()),
                InetAddress.getByAddress(free.getBytes())), site.hosts.addresses(B));
        assertEquals(MacAddress.of("02:77:00:00:01:01"), site.hosts.macOf(P1));
    }

    /** RFC 4862 §5.4.2: from ::, to the target's solicited-node group, without a link-layer option. */
    static byte[] dadProbe(MacAddress mac, IPv6Address target) {
        byte[] t = target.getBytes();
        IPv6Address group = IPv6Address.of(new byte[] {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff,
                t[13], t[14], t[15]});
        MacAddress groupMac = MacAddress.of(new byte[] {0x33, 0x33, (byte) 0xff, t[13], t[14], t[15]});
        return NdCodec.encode(new NdMessage(groupMac, mac, IPv6Address.NONE, group, NdMessage.SOLICITATION, 0, target, null));
    }
}
