package io.ringswitch.overlay.underlay;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import io.ringswitch.overlay.api.NodeConfig;
import java.util.function.LongSupplier;

/**
 * The event loop's choice between polling and sleeping, with busy polling for a while after each
 * wake-up ({@code tap: {busyPollMicros: N}}, off unless set): before the loop blocks in
 * {@code epoll_wait}, it asks the kernel without blocking, again and again, for up to N
 * microseconds, so that a frame arriving soon after the last one (the reply to a request just sent,
 * the next segment of a stream) finds the loop running and its caches warm instead of asleep.
 * A wake-up of a sleeping thread costs 40-110 us on a loaded 2-core machine, and the first run of
 * the frame path after 10 ms asleep is 20 times slower than a warm one (issue 21).
 *
 * <p>What it costs: the loop's core is busy for N us after every wake-up, frames or not (the node's
 * timers wake it 20-40 times a second when idle). Tasks that other threads hand to the loop wait
 * for the end of the window (Netty does not wake a loop it believes awake), hence its bound,
 * {@value #MAX_MICROS} us.
 */
final class BusyPollSelectStrategy implements SelectStrategy {
    /** The longest window: what a task handed over from another thread may wait. */
    static final int MAX_MICROS = NodeConfig.Tap.MAX_BUSY_POLL_MICROS;

    private final long windowNanos;
    private final LongSupplier nanoTime;

    BusyPollSelectStrategy(int micros, LongSupplier nanoTime) {
        check(micros);
        this.windowNanos = micros * 1000L;
        this.nanoTime = nanoTime;
    }

    /** A factory for Netty's epoll transport, with the window in microseconds. */
    static SelectStrategyFactory factory(int micros) {
        check(micros);
        return () -> new BusyPollSelectStrategy(micros, System::nanoTime);
    }

    private static void check(int micros) {
        if (micros <= 0 || micros > MAX_MICROS) {
            throw new IllegalArgumentException("busy-poll window " + micros + " us: 1 to " + MAX_MICROS);
        }
    }

    /**
     * The number of ready descriptors as soon as a non-blocking poll finds some within the window;
     * otherwise {@link SelectStrategy#SELECT}: the loop blocks as it would without busy polling. With
     * tasks queued, one non-blocking poll and back to them, as Netty's default strategy does.
     */
    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectSupplier.get();
        }
        long end = nanoTime.getAsLong() + windowNanos;
        do {
            int ready = selectSupplier.get();
            if (ready > 0) {
                return ready;
            }
        } while (nanoTime.getAsLong() - end < 0);
        return SelectStrategy.SELECT;
    }
}
