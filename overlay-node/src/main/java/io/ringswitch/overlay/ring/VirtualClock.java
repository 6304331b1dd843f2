package io.ringswitch.overlay.ring;

import java.util.PriorityQueue;

/**
 * Virtual time: a queue of events run in time order (ties in the order they were scheduled). The
 * one harness of the simulator and the unit tests, so that both drive the ring the same way.
 */
public final class VirtualClock implements Scheduler {

    private static final class Event implements Cancellable, Comparable<Event> {
        final long time;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Event(long time, long seq, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long executed;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        Event event = new Event(now + Math.max(0, delayMillis), seq++, task);
        queue.add(event);
        return event;
    }

    /** Runs every event up to and including {@code time}, then sets the clock to it. */
    public void runUntil(long time) {
        while (!queue.isEmpty() && queue.peek().time <= time) {
            Event event = queue.poll();
            now = event.time;
            if (!event.cancelled) {
                executed++;
                event.task.run();
            }
        }
        now = Math.max(now, time);
    }

    public long executed() {
        return executed;
    }
}
