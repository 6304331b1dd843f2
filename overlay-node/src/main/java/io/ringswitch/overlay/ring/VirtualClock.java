package io.ringswitch.overlay.ring;

import java.util.Comparator;
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

    /**
     * One queued event. A task that is scheduled once can be its own entry (the simulator's
     * datagram deliveries, one per message sent): one object per event instead of an entry and the
     * task it holds, which at 100,000 nodes is a tenth of all that is allocated.
     */
    public abstract static class Entry implements Cancellable {
        long time;
        long seq;
        boolean cancelled;
        /** The next event of the same millisecond's bucket. */
        Entry next;

        /** What the event does when its time comes. */
        protected abstract void run();

        @Override
        public final void cancel() {
            cancelled = true;
        }
    }

    private static final class Event extends Entry {
        final Runnable task;

        Event(Runnable task) {
            this.task = task;
        }

        @Override
        protected void run() {
            task.run();
        }
    }

    private static final Comparator<Entry> ORDER = (a, b) -> {
        int c = Long.compare(a.time, b.time);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    };

    /**
     * Bucket {@code t & MASK} holds the events due at {@code t}, for {@code now <= t < now + WINDOW},
     * as a list linked through {@link Event#next}: appending never copies, as a growing array would.
     */
    private final Entry[] heads = new Entry[WINDOW];
    private final Entry[] tails = new Entry[WINDOW];
    /** Events due at {@code now + WINDOW} or later, when they were scheduled. */
    private final PriorityQueue<Entry> later = new PriorityQueue<>(ORDER);
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
        Event event = new Event(task);
        schedule(delayMillis, event);
        return event;
    }

    /**
     * Schedules {@code event}, an entry never scheduled before, in the same order as
     * {@link #schedule(long, Runnable)} (time, then scheduling).
     */
    public void schedule(long delayMillis, Entry event) {
        if (event.seq != 0) {
            throw new IllegalArgumentException("an entry is scheduled once");
        }
        long delay = Math.max(0, delayMillis);
        event.time = now + delay;
        event.seq = ++seq;
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
    }

    /** Runs every event up to and including {@code time}, then sets the clock to it. */
    public void runUntil(long time) {
        while (now <= time) {
            while (!later.isEmpty() && later.peek().time == now) {
                run(later.poll());
            }
            int slot = (int) (now & MASK);
            Entry next;
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

    private void run(Entry event) {
        queued--;
        if (!event.cancelled) {
            executed++;
            event.run();
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
