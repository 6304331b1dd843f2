package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitThreadClockTest {

    @Test
    void readsUserAndSystemTicksPastACommandNameWithSpaces() {
        String stat = "4242 (C2 CompilerThre) S 1 4200 4200 0 -1 4194368 1200 0 0 0 357 12 0 0 20 0 23 0 1000 "
                + "3000000000 30000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 -1 1 0 0 0 0 0";
        assertEquals(369, JitThreadClock.ticks(stat));
    }

    @Test
    void thisJvmsCompilerThreadsHaveUsedSomeCpuAndAGoneProcessNone() {
        long self = ProcessHandle.current().pid();
        assertTrue(JitThreadClock.cpuMillis(self) >= 0);
        assertEquals(0, JitThreadClock.cpuMillis(Long.MAX_VALUE));
    }
}
