package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offload switch turned off ({@code tap: {offloads: false}}, OVS without userspace TSO, hosts
 * checksumming themselves): frames cross one by one, and TCP still works.
 */
class OffloadSwitchLabTest {
    private static final LabSpec SPEC = LabSpec.of("nooff", 2, 1).withOffloads(false);
    private static Lab lab;

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), OffloadSwitchLabTest::log);
        lab = Lab.up(SPEC, Preflight.home(), OffloadSwitchLabTest::log);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), OffloadSwitchLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
    }

    @Test
    void withOffloadsOffFramesCrossOneByOneAndTcpWorks() throws Exception {
        assertTrue(lab.ping(1, 1, 2, 1, 5, 0.1).lossless());
        double mbps = lab.iperf(1, 1, 2, 1, 3);
        log("iperf3 over RingSwitch without offloads: " + mbps + " Mbit/s");
        assertTrue(mbps > 1, "TCP throughput " + mbps + " Mbit/s");
        Thread.sleep(1500);
        for (int site = 1; site <= 2; site++) {
            NodeStatus st = lab.nodeStatus(site).orElseThrow();
            assertFalse(st.dataPath().tapOffloads(), "site " + site + " has offloads off");
            assertEquals(0, st.frames().superFrames(), "no super-frames without offloads");
            assertEquals(0, st.dataPath().segmentsJoined());
        }
    }

    private static void log(String line) {
        System.err.println("[nooff] " + line);
    }
}
