package io.ringswitch.overlay.ring;

/**
 * A task that runs every {@code period} on a {@link Scheduler} until stopped: each part of a node
 * keeps its own timer instead of one tick that does everything.
 */
public final class Periodic {
    private final Scheduler scheduler;
    private final long period;
    private final Runnable task;
    private Scheduler.Cancellable next;
    private boolean stopped;

    private Periodic(Scheduler scheduler, long period, Runnable task) {
        this.scheduler = scheduler;
        this.period = period;
        this.task = task;
    }

    /** Runs {@code task} first after {@code firstDelay}, then every {@code period} milliseconds. */
    public static Periodic start(Scheduler scheduler, long firstDelay, long period, Runnable task) {
        Periodic p = new Periodic(scheduler, period, task);
        p.next = scheduler.schedule(firstDelay, p::run);
        return p;
    }

    private void run() {
        if (stopped) {
            return;
        }
        task.run();
        if (!stopped) {
            next = scheduler.schedule(period, this::run);
        }
    }

    public void stop() {
        stopped = true;
        if (next != null) {
            next.cancel();
        }
    }
}
