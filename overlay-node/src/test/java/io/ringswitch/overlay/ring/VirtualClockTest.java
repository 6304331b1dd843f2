package io.ringswitch.overlay.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The calendar queue runs events in time order, ties in the order they were scheduled, near or far. */
class VirtualClockTest {

    @Test
    void eventsRunInTimeOrderAndTiesInSchedulingOrder() {
        VirtualClock clock = new VirtualClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(20, () -> ran.add("b@20"));
        clock.schedule(10, () -> ran.add("a@10"));
        clock.schedule(20, () -> ran.add("c@20"));
        clock.schedule(10, () -> {
            ran.add("d@10");
            clock.schedule(0, () -> ran.add("e@10, scheduled at 10"));
            clock.schedule(10, () -> ran.add("f@20, scheduled at 10"));
        });
        clock.runUntil(15);
        assertEquals(List.of("a@10", "d@10", "e@10, scheduled at 10"), ran);
        assertEquals(15, clock.nowMillis());
        clock.runUntil(100);
        assertEquals(List.of("a@10", "d@10", "e@10, scheduled at 10", "b@20", "c@20", "f@20, scheduled at 10"), ran);
        assertEquals(100, clock.nowMillis());
        assertEquals(6, clock.executed());
    }

    @Test
    void anEventBeyondTheCalendarRunsBeforeOneOfTheSameTimeScheduledLater() {
        VirtualClock clock = new VirtualClock();
        List<String> ran = new ArrayList<>();
        long far = 3L * VirtualClock.WINDOW + 7;
        clock.schedule(far, () -> ran.add("far, scheduled first"));
        clock.schedule(far - 5, () -> ran.add("earlier, also far"));
        clock.runUntil(far - VirtualClock.WINDOW + 1);
        clock.schedule(far - clock.nowMillis(), () -> ran.add("same time, scheduled later"));
        clock.runUntil(far - 1);
        assertEquals(List.of("earlier, also far"), ran);
        clock.runUntil(far);
        assertEquals(List.of("earlier, also far", "far, scheduled first", "same time, scheduled later"), ran);
        assertEquals(far, clock.nowMillis());
    }

    @Test
    void aCancelledEventDoesNotRunAndTheClockNeverGoesBack() {
        VirtualClock clock = new VirtualClock();
        List<String> ran = new ArrayList<>();
        Scheduler.Cancellable cancelled = clock.schedule(5, () -> ran.add("cancelled"));
        clock.schedule(5, () -> ran.add("kept"));
        cancelled.cancel();
        clock.runUntil(1_000_000);
        assertEquals(List.of("kept"), ran);
        assertEquals(0, clock.queued());
        clock.runUntil(10);
        assertEquals(1_000_000, clock.nowMillis());
        clock.schedule(-3, () -> ran.add("now"));
        clock.runUntil(1_000_000);
        assertEquals(List.of("kept", "now"), ran);
    }

    @Test
    void anEntryThatIsItsOwnTaskTakesItsTurnAmongTasksNearAndFarAndIsScheduledOnce() {
        VirtualClock clock = new VirtualClock();
        List<String> ran = new ArrayList<>();
        long far = VirtualClock.WINDOW + 3;
        clock.schedule(10, () -> ran.add("task@10"));
        VirtualClock.Entry near = entry(ran, "entry@10");
        clock.schedule(10, near);
        clock.schedule(10, () -> ran.add("task@10, after the entry"));
        clock.schedule(far, entry(ran, "entry far, first"));
        clock.schedule(far, () -> ran.add("task far, second"));
        assertThrows(IllegalArgumentException.class, () -> clock.schedule(5, near));
        clock.runUntil(far);
        assertEquals(List.of("task@10", "entry@10", "task@10, after the entry", "entry far, first", "task far, second"), ran);
        assertEquals(5, clock.executed());
    }

    private static VirtualClock.Entry entry(List<String> ran, String name) {
        return new VirtualClock.Entry() {
            @Override
            protected void run() {
                ran.add(name);
            }
        };
    }
}
