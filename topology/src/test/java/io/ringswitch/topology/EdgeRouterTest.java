package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EdgeRouterTest {

    @Test
    void eachKindGetsItsNatAndFilterAndEveryRouterDropsNewInboundFlowsToItself() {
        String preserving = EdgeRouter.ruleset(SiteEdge.PORT_PRESERVING);
        assertTrue(preserving.contains("iifname \"wan0\" ct state new drop"), preserving);
        assertTrue(preserving.contains("masquerade\n"), preserving);
        assertFalse(preserving.contains("udp drop"), preserving);
        assertTrue(EdgeRouter.ruleset(SiteEdge.RANDOM).contains("masquerade random,fully-random"));
        String blocked = EdgeRouter.ruleset(SiteEdge.UDP_BLOCKED);
        assertTrue(blocked.indexOf("meta l4proto udp drop") < blocked.indexOf("ct state established,related accept"),
                "UDP is dropped before replies are let through: " + blocked);
        String firewalled = EdgeRouter.ruleset(SiteEdge.FIREWALLED);
        assertFalse(firewalled.contains("masquerade"), firewalled);
        assertTrue(firewalled.contains("policy drop;") && firewalled.contains("iifname \"lan0\" oifname \"wan0\" accept"), firewalled);
    }

    @Test
    void conntrackLinesGiveThePublicSourceOfEachFlow() {
        EdgeRouter.Mapping random = EdgeRouter.parse("ipv4     2 udp      17 22 src=172.16.4.2 dst=10.99.0.1 sport=5800 "
                + "dport=5800 src=10.99.0.1 dst=10.99.0.4 sport=5800 dport=11029 mark=0 zone=0 use=2");
        assertEquals(new EdgeRouter.Mapping("udp", "172.16.4.2:5800", "10.99.0.1:5800", "10.99.0.4:11029", true), random);
        assertFalse(random.portKept());
        EdgeRouter.Mapping unreplied = EdgeRouter.parse("ipv4     2 udp      17 24 src=10.99.0.2 dst=10.99.0.3 sport=5804 "
                + "dport=6000 [UNREPLIED] src=10.99.0.3 dst=10.99.0.2 sport=6000 dport=5804 mark=0 zone=0 use=2");
        assertFalse(unreplied.replied());
        assertTrue(unreplied.portKept());
        assertNull(EdgeRouter.parse("ipv4     2 icmp     1 29 src=172.16.3.2 dst=10.99.0.1 type=8 code=0 id=7 src=10.99.0.1 "
                + "dst=10.99.0.3 type=0 code=0 id=7 mark=0 use=1"));
        assertNull(EdgeRouter.parse(""));
        assertEquals(new EdgeRouter.Mapping("udp", "172.16.3.2:5800", "10.99.0.1:5800", "10.99.0.3:5800", true),
                EdgeRouter.parse("udp      17 21 src=172.16.3.2 dst=10.99.0.1 sport=5800 dport=5800 src=10.99.0.1 dst=10.99.0.3 "
                        + "sport=5800 dport=5800 [ASSURED] mark=0 use=1"), "conntrack -L leaves out the family");
    }

    @Test
    void pairsExpectDirectLinksUnlessARandomNatOrAUdpBlockStandsBetween() {
        assertEquals("udp", NatTour.expected(SiteEdge.OPEN, SiteEdge.RANDOM));
        assertEquals("udp", NatTour.expected(SiteEdge.PORT_PRESERVING, SiteEdge.FIREWALLED));
        assertEquals("relay", NatTour.expected(SiteEdge.RANDOM, SiteEdge.PORT_PRESERVING));
        assertEquals("tcp", NatTour.expected(SiteEdge.UDP_BLOCKED, SiteEdge.OPEN));
        assertEquals("relay", NatTour.expected(SiteEdge.FIREWALLED, SiteEdge.UDP_BLOCKED));
    }
}
