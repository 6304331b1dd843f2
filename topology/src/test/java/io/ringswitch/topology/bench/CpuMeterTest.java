package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuMeterTest {

    @Test
    void ticksAreUserPlusSystemTimeEvenWhenTheNameHasSpacesAndParentheses() {
        String stat = "4242 (ovs vswitchd) (x)) S 1 4242 4242 0 -1 4194560 1234 0 0 0 750 250 3 4 20 0 5 0 100 1000 200";
        assertEquals(1000, CpuMeter.parseTicks(stat));
    }

    @Test
    void perGbitIsCpuSecondsOverTheGbitCarried() {
        assertEquals(2.0, CpuMeter.perGbit(10.0, 1000.0, 5), 1e-12, "10 CPU-s over 5 Gbit");
        assertNull(CpuMeter.perGbit(null, 1000.0, 5), "no daemons");
        assertNull(CpuMeter.perGbit(1.0, 0.0, 5), "nothing carried");
        assertNull(CpuMeter.perGbit(1.0, null, 5));
    }

    @Test
    void measuresThisProcessAndNothingForNoProcesses() throws Exception {
        assertNull(CpuMeter.start(List.of()).seconds());
        CpuMeter meter = CpuMeter.start(List.of(new Daemon("a", ProcessHandle.current().pid())));
        // Spin for 300 ms of this thread's own CPU time, not of wall time: on a busy machine 300 ms
        // of wall time gave the thread 90 ms of CPU and the test failed.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long spin = threads.getCurrentThreadCpuTime() + 300_000_000L;
        double x = 0;
        while (threads.getCurrentThreadCpuTime() < spin) {
            for (int i = 0; i < 10_000; i++) {
                x += Math.sqrt(x + 1);
            }
        }
        Double seconds = meter.seconds();
        assertNotNull(seconds);
        assertTrue(seconds > 0.1 && seconds < 10, seconds + " s (x=" + x + ")");
    }
}
