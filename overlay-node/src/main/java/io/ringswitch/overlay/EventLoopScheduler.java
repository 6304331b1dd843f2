package io.ringswitch.overlay;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringswitch.overlay.ring.Scheduler;
import java.util.concurrent.TimeUnit;

/** The ring's clock and timers in a real node: monotonic time, tasks on the node's event loop. */
public final class EventLoopScheduler implements Scheduler {
    private final EventLoop loop;

    public EventLoopScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public long nowMillis() {
        // Monotonic: a step of the wall clock must not make every link look silent.
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> future = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
