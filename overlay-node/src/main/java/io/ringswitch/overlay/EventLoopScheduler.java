package io.ringswitch.overlay;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringswitch.overlay.ring.Scheduler;
import java.util.concurrent.TimeUnit;

/** The ring's clock and timers in a real node: wall-clock time, tasks on the node's event loop. */
final class EventLoopScheduler implements Scheduler {
    private final EventLoop loop;

    EventLoopScheduler(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public long nowMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> future = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
