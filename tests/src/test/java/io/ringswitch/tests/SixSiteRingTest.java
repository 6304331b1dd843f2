package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Ping;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Six sites that know one bootstrap address between them (site 1's): the ring forms on real
 * sockets, the crawl finds it consistent, and every host reaches every other, over multi-hop ring
 * routes where two sites have no link of their own.
 */
class SixSiteRingTest {
    private static final LabSpec SPEC = LabSpec.of("ring6", 6, 1);
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), SixSiteRingTest::log);
        lab = Lab.up(SPEC, Preflight.home(), SixSiteRingTest::log);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), SixSiteRingTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
    }

    @Test
    void theRingIsConsistentAndEveryPairOfHostsTalks() throws Exception {
        Crawl.Result crawl = lab.crawl();
        assertEquals(1.0, crawl.consistency(), "off: " + crawl.inconsistent());
        List<String> lossy = new ArrayList<>();
        for (int a = 1; a <= 6; a++) {
            for (int b = 1; b <= 6; b++) {
                if (a != b) {
                    Ping ping = lab.ping(a, 1, b, 1, 3, 0.1);
                    if (!ping.lossless()) {
                        lossy.add(a + "->" + b + " " + ping);
                    }
                }
            }
        }
        assertTrue(lossy.isEmpty(), "lost pings: " + lossy);
    }

    @Test
    void aSiteThatLeavesIsRoutedAroundAndRejoins() throws Exception {
        lab.stopNode(4, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && !lab.ping(3, 1, 5, 1, 1, 0.2).lossless()) {
            Thread.sleep(200);
        }
        assertTrue(lab.ping(3, 1, 5, 1, 3, 0.1).lossless(), "sites 3 and 5 talk with site 4 gone");
        lab.startNode(4);
        lab.awaitReady(Duration.ofSeconds(60));
        assertTrue(lab.ping(4, 1, 1, 1, 3, 0.1).lossless());
    }

    private static void log(String line) {
        System.err.println("[ring6] " + line);
    }
}
