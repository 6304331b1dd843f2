package io.ringswitch.controller.multicast;

import static io.ringswitch.controller.multicast.MembershipFrames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.OFPort;

class GroupMembershipTest {
    private static final InetAddress G = ip("239.1.2.3");
    private static final OFPort P1 = OFPort.of(1);
    private static final OFPort P2 = OFPort.of(2);

    @Test
    void aPortStaysAMemberForTheMembershipIntervalAfterItsLastReport() {
        GroupMembership m = new GroupMembership();
        assertTrue(m.report(G, P1, 0, 10_000));
        m.report(G, P2, 5_000, 10_000);
        assertEquals(List.of(), m.expire(9_999, 1_000));
        assertEquals(Set.of(P1, P2), m.ports(G));
        m.expire(10_000, 1_000);
        assertEquals(Set.of(P2), m.ports(G));
        m.expire(15_000, 1_000);
        assertTrue(m.groups().isEmpty());
    }

    @Test
    void aLeaveCutsOnlyItsOwnPortDownAndAsksItAgain() {
        GroupMembership m = new GroupMembership();
        m.report(G, P1, 0, 100_000);
        m.report(G, P2, 0, 100_000);
        assertTrue(m.leave(G, P2, 1_000, 2, 1_000), "a query out of port 2 is due now");
        assertEquals(List.of(new GroupMembership.Due(G, P2)), m.expire(2_000, 1_000), "the second query");
        assertEquals(List.of(), m.expire(2_500, 1_000));
        m.expire(3_000, 1_000);
        assertEquals(Set.of(P1), m.ports(G), "port 1 never left");
    }

    @Test
    void aReportAfterTheLeaveKeepsThePort() {
        GroupMembership m = new GroupMembership();
        m.report(G, P1, 0, 100_000);
        m.leave(G, P1, 1_000, 2, 1_000);
        m.report(G, P1, 1_500, 100_000);
        assertEquals(List.of(), m.expire(5_000, 1_000), "no more queries once it answered");
        assertEquals(Set.of(P1), m.ports(G));
    }

    @Test
    void aLeaveFromAPortThatIsNoMemberChangesNothing() {
        GroupMembership m = new GroupMembership();
        m.report(G, P1, 0, 100_000);
        assertFalse(m.leave(G, P2, 0, 2, 1_000));
        m.expire(10_000, 1_000);
        assertEquals(Set.of(P1), m.ports(G));
    }

    @Test
    void aRemovedPortIsAMemberOfNothingAndTheGroupsAreBounded() {
        GroupMembership m = new GroupMembership();
        m.report(G, P1, 0, 100_000);
        m.removePort(P1);
        assertTrue(m.groups().isEmpty());
        for (int i = 0; i < GroupMembership.MAX_GROUPS; i++) {
            assertTrue(m.report(ip("239.2." + (i >> 8) + "." + (i & 0xff)), P1, 0, 100_000));
        }
        assertFalse(m.report(G, P1, 0, 100_000), "full");
        assertEquals(GroupMembership.MAX_GROUPS, m.memberPorts());
    }
}
