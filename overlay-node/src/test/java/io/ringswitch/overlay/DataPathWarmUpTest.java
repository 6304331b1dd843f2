package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.ringswitch.controller.api.ControllerStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DataPathWarmUpTest {

    @Test
    void aSuperFrameIsCutSealedOpenedAndJoinedAgainWithoutLeavingABuffer() {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(true, true);
        DataPathWarmUp warmUp = new DataPathWarmUp(alloc, 1360);
        int records = warmUp.superFrame();
        assertEquals((65_535 - 40) / 1320 + 1, records, "every segment of the 64 KB super-frame sealed and opened");
        assertTrue(warmUp.written() >= 1 && warmUp.written() <= 2, "joined again into one or two super-frames: "
                + warmUp.written());
        assertEquals(records, warmUp.superFrame(), "the next one too, its sequence numbers following on");
        assertEquals(0, alloc.metric().usedDirectMemory(), "every buffer released");
    }

    @Test
    void itWaitsForTheJoinTheBridgeAndABoundHost() {
        ControllerStatus none = new ControllerStatus(List.of(), -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null);
        ControllerStatus bridge = new ControllerStatus(List.of("00:01"), 2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, null, null);
        ControllerStatus host = new ControllerStatus(List.of("00:01"), 2, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, null, null);
        assertFalse(DataPathWarmUp.due(true, none));
        assertFalse(DataPathWarmUp.due(true, bridge), "no host bound yet: the first ping comes first");
        assertFalse(DataPathWarmUp.due(false, host), "not joined yet");
        assertTrue(DataPathWarmUp.due(true, host));
    }

    @Test
    void itRunsOnAThreadAtNice19() throws Exception {
        AtomicInteger nice = new AtomicInteger(-100);
        Thread probe = new Thread(() -> {
            if (ThreadNiceness.set(19)) {
                try {
                    nice.set(ThreadNiceness.get());
                } catch (java.io.IOException e) {
                    nice.set(-200);
                }
            }
        });
        probe.start();
        probe.join(10_000);
        assertEquals(19, nice.get(), "the thread's own nice value");
        Thread warm = DataPathWarmUp.start(new UnpooledByteBufAllocator(true), 1360, 2);
        warm.join(60_000);
        assertFalse(warm.isAlive());
    }

    @Test
    void aPropertyTurnsItOff() {
        String before = System.getProperty(DataPathWarmUp.PROPERTY);
        try {
            System.setProperty(DataPathWarmUp.PROPERTY, "false");
            assertFalse(DataPathWarmUp.enabled());
            System.clearProperty(DataPathWarmUp.PROPERTY);
            assertTrue(DataPathWarmUp.enabled());
        } finally {
            if (before != null) {
                System.setProperty(DataPathWarmUp.PROPERTY, before);
            }
        }
    }
}
