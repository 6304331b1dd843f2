package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.Scheduler;
import java.util.concurrent.CompletableFuture;

/**
 * A value its owner keeps in the DHT: put (or created) now and again every so often (by default
 * every half of its time to live), so that it never expires while the owner lives and wants it,
 * and so that it comes back within that period should every node holding it die at once (which
 * no re-replication can repair). A create that is kept stops
 * by itself when an answer is EXISTS (the key is not, or no longer, this value alone); its
 * {@link #latest()} result says so. Cancelling lets the value expire.
 */
public final class DhtPublication {
    private final DhtClient client;
    private final Scheduler scheduler;
    private final DhtMessage.Op op;
    private final DhtKey key;
    private final byte[] value;
    private final long ttlMillis;
    private final long everyMillis;
    private Scheduler.Cancellable next;
    private CompletableFuture<DhtResult> latest;
    private boolean cancelled;

    DhtPublication(DhtClient client, Scheduler scheduler, DhtMessage.Op op, DhtKey key, byte[] value, long ttlMillis,
                   long everyMillis) {
        this.client = client;
        this.scheduler = scheduler;
        this.op = op;
        this.key = key;
        this.value = value;
        this.ttlMillis = ttlMillis;
        this.everyMillis = everyMillis;
    }

    void start() {
        send();
    }

    private void again() {
        if (cancelled) {
            return;
        }
        client.republished();
        send();
    }

    private void send() {
        latest = client.request(op, key, value, ttlMillis);
        latest.thenAccept(result -> {
            if (result.status() == DhtStatus.EXISTS) {
                cancel();
            }
        });
        if (!cancelled) {
            next = scheduler.schedule(everyMillis, this::again);
        }
    }

    public DhtKey key() {
        return key;
    }

    /** The latest put or create of the value, complete or under way. */
    public CompletableFuture<DhtResult> latest() {
        return latest;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Stops keeping the value; it expires at the end of its time to live. */
    public void cancel() {
        cancelled = true;
        if (next != null) {
            next.cancel();
        }
        client.cancelled(this);
    }
}
