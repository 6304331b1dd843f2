package io.ringswitch.overlay.underlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.SelectStrategy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link BusyPollSelectStrategy} on a fake clock that advances 10 us per non-blocking poll: it
 * returns the ready count as soon as a poll finds one within the window, blocks (SELECT) once the
 * window is over, and polls once when tasks wait.
 */
class BusyPollSelectStrategyTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicInteger polls = new AtomicInteger();

    private int pollsUntilReady(int readyAtPoll) {
        return polls.incrementAndGet() >= readyAtPoll ? 1 : 0;
    }

    private BusyPollSelectStrategy strategy(int micros) {
        return new BusyPollSelectStrategy(micros, () -> now.get());
    }

    private int calculate(BusyPollSelectStrategy s, int readyAtPoll, boolean hasTasks) throws Exception {
        return s.calculateStrategy(() -> {
            now.addAndGet(10_000);
            return pollsUntilReady(readyAtPoll);
        }, hasTasks);
    }

    @Test
    void aFrameWithinTheWindowIsTakenWithoutSleeping() throws Exception {
        assertEquals(1, calculate(strategy(100), 5, false));
        assertEquals(5, polls.get());
    }

    @Test
    void nothingWithinTheWindowAndTheLoopSleeps() throws Exception {
        assertEquals(SelectStrategy.SELECT, calculate(strategy(100), Integer.MAX_VALUE, false));
        assertEquals(10, polls.get(), "100 us of 10 us polls");
    }

    @Test
    void waitingTasksGetOneNonBlockingPoll() throws Exception {
        assertEquals(0, calculate(strategy(1000), Integer.MAX_VALUE, true));
        assertEquals(1, polls.get());
    }

    @Test
    void windowsOutsideTheBoundAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> strategy(0));
        assertThrows(IllegalArgumentException.class, () -> strategy(BusyPollSelectStrategy.MAX_MICROS + 1));
    }
}
