package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The requester's side of the DHT: sends an operation to the node nearest its key, waits for the
 * answer on the node's clock, asks again (with the same id, so that a late answer still counts)
 * when none comes or the answer is RETRY, and completes the operation's future on the node's
 * thread. Also keeps values alive that their owner wants kept, by asking again every half of
 * their time to live.
 */
final class DhtClient {

    private final class Operation {
        final DhtMessage.Request request;
        final CompletableFuture<DhtResult> future = new CompletableFuture<>();
        int attempts;
        Scheduler.Cancellable timer;

        Operation(DhtMessage.Request request) {
            this.request = request;
        }
    }

    private final Router router;
    private final Scheduler scheduler;
    private final Random random;
    private final DhtConfig config;
    private final DhtCounters counters;
    private final Map<Long, Operation> pending = new HashMap<>();
    private final List<DhtPublication> publications = new ArrayList<>();
    private boolean running;

    DhtClient(Router router, Scheduler scheduler, Random random, DhtConfig config, DhtCounters counters) {
        this.router = router;
        this.scheduler = scheduler;
        this.random = random;
        this.config = config;
        this.counters = counters;
    }

    void start() {
        running = true;
    }

    boolean running() {
        return running;
    }

    /** Starts an operation; a value or time to live over the limits is refused at once, and all on a stopped node. */
    CompletableFuture<DhtResult> request(DhtMessage.Op op, DhtKey key, byte[] value, long ttlMillis) {
        if (!running) {
            return CompletableFuture.completedFuture(DhtResult.local(DhtStatus.STOPPED));
        }
        counters.operations++;
        if (op != DhtMessage.Op.GET && (value.length > config.maxValueBytes() || ttlMillis <= 0
                || ttlMillis > config.maxTtlMillis())) {
            if (value.length > config.maxValueBytes()) {
                counters.valueTooLarge++;
            } else {
                counters.badTtl++;
            }
            return CompletableFuture.completedFuture(DhtResult.local(DhtStatus.REFUSED));
        }
        long id = random.nextLong();
        while (pending.containsKey(id)) {
            id = random.nextLong();
        }
        Operation operation = new Operation(new DhtMessage.Request(id, op, key, value.clone(), ttlMillis));
        pending.put(id, operation);
        attempt(operation);
        return operation.future;
    }

    private void attempt(Operation operation) {
        operation.attempts++;
        long id = operation.request.id();
        operation.timer = scheduler.schedule(config.requestMillis(), () -> timedOut(id));
        router.send(operation.request.key().address(), RoutingMode.NEAREST, PayloadTypes.DHT,
                DhtMessageCodec.encode(operation.request), true);
    }

    private void timedOut(long id) {
        Operation operation = pending.get(id);
        if (operation == null) {
            return;
        }
        if (operation.attempts < config.attempts()) {
            counters.retries++;
            attempt(operation);
        } else {
            pending.remove(id);
            counters.timeouts++;
            operation.future.complete(DhtResult.local(DhtStatus.TIMEOUT));
        }
    }

    void onReply(RingMessage.Routed m, DhtMessage.Reply reply) {
        Operation operation = pending.get(reply.id());
        if (operation == null) {
            counters.unexpectedReplies++;
            return;
        }
        operation.timer.cancel();
        if (reply.status() == DhtStatus.RETRY && operation.attempts < config.attempts()) {
            counters.retries++;
            operation.timer = scheduler.schedule(config.retryMillis(), () -> {
                if (pending.get(reply.id()) == operation) {
                    attempt(operation);
                }
            });
            return;
        }
        pending.remove(reply.id());
        DhtStatus status = reply.status() == DhtStatus.RETRY ? DhtStatus.TIMEOUT : reply.status();
        List<DhtValue> values = new ArrayList<>(reply.values());
        values.sort(DhtValue.BY_BYTES);
        operation.future.complete(new DhtResult(status, values, reply.requestHops(), m.hops()));
    }

    /** Keeps a value alive: {@code op} (a put or a create) now and every {@code everyMillis}, until cancelled. */
    DhtPublication publish(DhtMessage.Op op, DhtKey key, byte[] value, long ttlMillis, long everyMillis) {
        DhtPublication publication = new DhtPublication(this, scheduler, op, key, value.clone(), ttlMillis,
                Math.max(1, Math.min(everyMillis, ttlMillis / 2)));
        if (!running) {
            publication.cancel();
            return publication;
        }
        publications.add(publication);
        publication.start();
        return publication;
    }

    void republished() {
        counters.republished++;
    }

    void cancelled(DhtPublication publication) {
        publications.remove(publication);
    }

    /** The node stops: every operation ends STOPPED and no value is kept alive any more. */
    void stop() {
        running = false;
        List<Operation> open = new ArrayList<>(pending.values());
        pending.clear();
        for (Operation operation : open) {
            operation.timer.cancel();
            operation.future.complete(DhtResult.local(DhtStatus.STOPPED));
        }
        new ArrayList<>(publications).forEach(DhtPublication::cancel);
    }
}
