package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.MulticastRun;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Multicast over four sites with iperf2: site 1 sends to 239.1.1.1, hosts of sites 2 and 4 are
 * members, site 3 has none. Every member gets every datagram; site 3's node takes no frame of the
 * group from the ring; the sender's node sends one copy per member site. When the members leave,
 * their sites drop the group within the last member query time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MulticastLabTest {
    private static final LabSpec SPEC = LabSpec.of("mc", 4, 1);
    private static Lab lab;

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), MulticastLabTest::log);
        lab = Lab.up(SPEC, Preflight.home(), MulticastLabTest::log);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), MulticastLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
    }

    @Test
    @Order(1)
    void everyNodeIsItsLansQuerier() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !allQueriers()) {
            Thread.sleep(250);
        }
        for (int s = 1; s <= 4; s++) {
            NodeStatus.MulticastStats m = multicast(s);
            assertTrue(m.querier() && m.querier6() && m.queriesSent() >= 2, "site " + s + ": " + m);
        }
    }

    @Test
    @Order(2)
    void onlyMemberSitesGetTheGroupAndTheyGetEveryDatagram() throws Exception {
        MulticastRun.Result r = MulticastRun.run(lab, 1, List.of(2, 4), 5, "1M");
        log("multicast run: " + r);
        log("sender's node: " + multicast(1));
        assertTrue(r.members().get(0).sent() > 300, "the sender sent: " + r);
        for (MulticastRun.Member m : r.members()) {
            assertEquals(m.sent(), m.received(), "site " + m.site() + " received every datagram: " + r);
        }
        assertEquals(0L, r.nonMemberFramesFromRing().get(3), "site 3 has no member and took nothing from the ring: " + r);
        assertEquals(2 * r.framesToMembers(), r.copiesSent(), "one copy per member site: " + r);
        assertTrue(r.framesToMembers() >= r.members().get(0).sent(), "every datagram went to the members: " + r);
        assertEquals(0, r.droppedNoMembers(), r.toString());
        for (int s = 1; s <= 4; s++) {
            NodeStatus.MulticastStats m = multicast(s);
            assertEquals(0, m.malformed(), "site " + s + ": " + m);
            assertEquals(0, m.membershipFromRing(), "no IGMP/MLD crossed the ring: site " + s + ": " + m);
        }
    }

    @Test
    @Order(3)
    void membersThatLeaveTakeTheirSitesOutOfTheGroup() throws Exception {
        // The iperf servers of the run are gone: their hosts left the group (IGMPv3 TO_IN({})).
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline && (multicast(2).localGroups() > 0 || multicast(4).localGroups() > 0)) {
            Thread.sleep(250);
        }
        assertEquals(0, multicast(2).localGroups(), multicast(2).toString());
        assertEquals(0, multicast(4).localGroups(), multicast(4).toString());
        assertTrue(multicast(2).leaves() >= 1, multicast(2).toString());
    }

    private static boolean allQueriers() {
        for (int s = 1; s <= 4; s++) {
            NodeStatus.MulticastStats m = multicast(s);
            if (!m.querier() || !m.querier6() || m.queriesSent() < 2) {
                return false;
            }
        }
        return true;
    }

    private static NodeStatus.MulticastStats multicast(int site) {
        return lab.nodeStatus(site).orElseThrow().multicast();
    }

    private static void log(String line) {
        System.err.println("[mc] " + line);
    }
}
