package io.ringswitch.overlay.ring;

/** Time and timers for a ring node: the event loop in a real node, virtual time in the simulator. */
public interface Scheduler {

    long nowMillis();

    Cancellable schedule(long delayMillis, Runnable task);

    /** A scheduled task that has not run yet can be called off. */
    interface Cancellable {
        void cancel();
    }
}
