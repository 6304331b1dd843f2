package io.ringswitch.overlay.ring;

import java.util.PriorityQueue;

/**
 * Virtual time: a queue of events run in time order (ties in the order they were scheduled). The
 * one harness of the simulator and the unit tests, so that both drive the ring the same way.
 *
 * <p>Times are whole milliseconds, and nearly every event is due within a minute, so the queue is
 * a calendar (Brown, "Calendar queues", CACM 31(10), 1988) of one bucket per millisecond over the
 * next {@value #WINDOW} ms: scheduling and running an event cost O(1) however many are queued,
 * where a heap costs O(log n) comparisons that miss the cache at 100,000 nodes. Events due later
 * wait in a heap and are run from it first when their millisecond comes: they were scheduled
 * before any event of the same millisecond in its bucket, so the order stays that of scheduling.
 */
public final class VirtualClock implements Scheduler {
    /** Milliseconds ahead that have a bucket of their own; a power of two. */
    static final int WINDOW = 1 << 16;
    private static final int MASK = WINDOW - 1;

    private static final class Event implements Cancellable, Comparable<Event> {
        final long time;
        final long seq;
        final Runnable task;
        boolean cancelled;
        /** The next event of the same millisecond's bucket. */
        Event next;

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

    /**
     * Bucket {@code t & MASK} holds the events due at {@code t}, for {@code now <= t < now + WINDOW},
     * as a list linked through {@link Event#next}: appending never copies, as a growing array would.
     */
    private final Event[] heads = new Event[WINDOW];
    private final Event[] tails = new Event[WINDOW];
    /** Events due at {@code now + WINDOW} or later, when they were scheduled. */
    private final PriorityQueue<Event> later = new PriorityQueue<>();
    private long now;
    private long seq;
    private long executed;
    private long queued;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        long delay = Math.max(0, delayMillis);
        Event event = new Event(now + delay, seq++, task);
        if (delay < WINDOW) {
            int slot = (int) (event.time & MASK);
            if (heads[slot] == null) {
                heads[slot] = event;
            } else {
                tails[slot].next = event;
            }
            tails[slot] = event;
        } else {
            later.add(event);
        }
        queued++;
        return event;
    }

    /** Runs every event up to and including {@code time}, then sets the clock to it. */
    public void runUntil(long time) {
        while (now <= time) {
            while (!later.isEmpty() && later.peek().time == now) {
                run(later.poll());
            }
            int slot = (int) (now & MASK);
            Event next;
            while ((next = heads[slot]) != null) {
                // Taken off first: what it schedules for now goes behind it, in the same bucket.
                heads[slot] = next.next;
                if (heads[slot] == null) {
                    tails[slot] = null;
                }
                next.next = null;
                run(next);
            }
            if (now == time) {
                break;
            }
            if (queued == 0) {
                now = time;
            } else if (queued == later.size()) {
                // Only far events are left: skip the empty buckets up to the first of them.
                now = Math.min(time, later.peek().time);
            } else {
                now++;
            }
        }
    }

    private void run(Event event) {
        queued--;
        if (!event.cancelled) {
            executed++;
            event.task.run();
        }
    }

    /** Events run so far (cancelled ones not counted). */
    public long executed() {
        return executed;
    }

    /** Events waiting, cancelled ones included until their time comes. */
    public long queued() {
        return queued;
    }
}
