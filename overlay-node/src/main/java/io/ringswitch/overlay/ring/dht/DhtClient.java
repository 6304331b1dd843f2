package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.RingAddress;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requester's side of the DHT: sends an operation to the node nearest its key, waits for the
 * answer on the node's clock, asks again (with the same id, so that a late answer still counts)
 * when none comes or the answer is RETRY, and completes the operation's future on the node's
 * thread. Also keeps values alive that their owner wants kept, by asking again every half of
 * their time to live. With {@link DhtRecords} (a group with a CA) it seals every value it puts
 * into a record signed now (a republication is sealed afresh), checks every record an answer
 * carries, and hands its user the values inside, releases left out; a
 * {@link #confirmed confirmed read} asks a second holder too, and any read asks the further holders
 * an answer names when the holders asked first do not settle it ({@link ReplicaAnswers}).
 */
final class DhtClient {
    private static final Logger log = LoggerFactory.getLogger(DhtClient.class);

    private final class Operation {
        final DhtMessage.Request request;
        final RingAddress target;
        final CompletableFuture<DhtResult> future = new CompletableFuture<>();
        int attempts;
        Scheduler.Cancellable timer;
        /** The node that answered, and the checked records of its answer (with records only). */
        RingAddress answeredBy;
        List<DhtRecord> opened = List.of();
        /** Every record of the answer that passed its checks, releases included, with its time left. */
        List<ReadRepair.Copy> checked = List.of();
        /** How many values the answer carried, and the holders it named. */
        int carried;
        List<RingAddress> holders = List.of();

        Operation(DhtMessage.Request request, RingAddress target) {
            this.request = request;
            this.target = target;
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
    private DhtRecords records;

    DhtClient(Router router, Scheduler scheduler, Random random, DhtConfig config, DhtCounters counters) {
        this.router = router;
        this.scheduler = scheduler;
        this.random = random;
        this.config = config;
        this.counters = counters;
    }

    void useRecords(DhtRecords records) {
        this.records = records;
    }

    void start() {
        running = true;
    }

    boolean running() {
        return running;
    }

    /** Starts an operation; a value or time to live over the limits is refused at once, and all on a stopped node. */
    CompletableFuture<DhtResult> request(DhtMessage.Op op, DhtKey key, byte[] value, long ttlMillis) {
        return request(op, key, value, ttlMillis, false);
    }

    /** As {@link #request}; {@code released}: the value is sealed as a release of this node's claim (with records). */
    CompletableFuture<DhtResult> request(DhtMessage.Op op, DhtKey key, byte[] value, long ttlMillis, boolean released) {
        Operation operation = operation(op, key, value, ttlMillis, released, key.address());
        return operation == null ? CompletableFuture.completedFuture(DhtResult.local(running ? DhtStatus.REFUSED
                : DhtStatus.STOPPED)) : operation.future;
    }

    /**
     * A read that asks two of the key's holders: the node nearest the key, then the node nearest
     * the key's mirror image of it (the nearest node on the key's other side, a holder too). When
     * those two do not settle it ({@link ReplicaAnswers#settled}: the second read ended at the first
     * node, an answer's records all failed this node's checks, or the two hold no claim in common),
     * it asks the further holders their answers name as well. The result holds the claims two
     * holders hold, or when none is held by two, every claim (the disagreement counted). Holders
     * whose answers lack the newer records of others are sent them ({@link #repair read repair}).
     * Without records, a plain get.
     */
    CompletableFuture<DhtResult> confirmed(DhtKey key) {
        Operation first = operation(DhtMessage.Op.GET, key, new byte[0], 0, false, key.address());
        if (first == null) {
            return CompletableFuture.completedFuture(DhtResult.local(running ? DhtStatus.REFUSED : DhtStatus.STOPPED));
        }
        if (records == null) {
            return first.future;
        }
        return first.future.thenCompose(r1 -> {
            if (!readable(first, r1)) {
                return CompletableFuture.completedFuture(r1);
            }
            Operation second = operation(DhtMessage.Op.GET, key, new byte[0], 0, false, mirror(key.address(),
                    first.answeredBy));
            if (second == null) {
                return CompletableFuture.completedFuture(r1);
            }
            return second.future.thenCompose(r2 -> settle(key, answers(List.of(first, second))));
        });
    }

    /**
     * A get: the answer of the node nearest the key; with records, when that answer carried records
     * of which not one passed this node's checks (the nearest node's clock is off, or it lies), a
     * read of the further holders it names, as a {@link #confirmed} read does.
     */
    CompletableFuture<DhtResult> get(DhtKey key) {
        Operation first = operation(DhtMessage.Op.GET, key, new byte[0], 0, false, key.address());
        if (first == null) {
            return CompletableFuture.completedFuture(DhtResult.local(running ? DhtStatus.REFUSED : DhtStatus.STOPPED));
        }
        if (records == null) {
            return first.future;
        }
        return first.future.thenCompose(r1 -> {
            List<ReplicaAnswers.Answer> answers = answers(List.of(first));
            return answers.isEmpty() || !answers.get(0).refusedAll() ? CompletableFuture.completedFuture(r1)
                    : settle(key, answers);
        });
    }

    /** The point as far from {@code key} as {@code holder}, on the other side. */
    static RingAddress mirror(RingAddress key, RingAddress holder) {
        RingAddress after = key.clockwiseTo(holder);
        RingAddress before = holder.clockwiseTo(key);
        return after.compareTo(before) <= 0 ? key.minus(after) : key.plus(before);
    }

    private static boolean readable(Operation o, DhtResult r) {
        return o.answeredBy != null && (r.status() == DhtStatus.OK || r.status() == DhtStatus.NOT_FOUND);
    }

    /** The readable answers of {@code done}, one per holder, in order; the first is always kept when readable. */
    private static List<ReplicaAnswers.Answer> answers(List<Operation> done) {
        List<ReplicaAnswers.Answer> out = new ArrayList<>();
        for (Operation o : done) {
            DhtResult r = o.future.getNow(null);
            if (r != null && readable(o, r) && out.stream().noneMatch(a -> a.holder().equals(o.answeredBy))) {
                out.add(new ReplicaAnswers.Answer(o.answeredBy, r, o.opened, o.checked, o.carried, o.holders));
            }
        }
        return out;
    }

    /** The read's result from {@code answers}, once the further holders they name answered too if they do not settle it. */
    private CompletableFuture<DhtResult> settle(DhtKey key, List<ReplicaAnswers.Answer> answers) {
        if (ReplicaAnswers.settled(answers)) {
            return CompletableFuture.completedFuture(combine(key, answers));
        }
        List<Operation> more = new ArrayList<>();
        for (RingAddress h : ReplicaAnswers.further(answers, config.replicas())) {
            Operation o = operation(DhtMessage.Op.GET, key, new byte[0], 0, false, h);
            if (o != null) {
                more.add(o);
            }
        }
        if (more.isEmpty()) {
            return CompletableFuture.completedFuture(combine(key, answers));
        }
        counters.furtherHolderReads.inc();
        return CompletableFuture.allOf(more.stream().map(o -> o.future).toArray(CompletableFuture[]::new))
                .thenApply(x -> {
                    List<ReplicaAnswers.Answer> all = new ArrayList<>(answers);
                    for (ReplicaAnswers.Answer a : answers(more)) {
                        if (all.stream().noneMatch(b -> b.holder().equals(a.holder()))) {
                            all.add(a);
                        }
                    }
                    return combine(key, all);
                });
    }

    private DhtResult combine(DhtKey key, List<ReplicaAnswers.Answer> answers) {
        DhtResult r1 = answers.get(0).result();
        if (answers.size() < 2) {
            counters.singleReplicaReads.inc();
            return r1;
        }
        repair(key, answers);
        List<DhtValue> values = ReplicaAnswers.heldByTwo(answers);
        if (values.isEmpty()) {
            values = ReplicaAnswers.all(answers);
            if (!values.isEmpty() && Long.bitCount(Metrics.incremented(counters.replicaDisagreements)) == 1) {
                log.warn("{} holders of {} ({}) hold no record in common: taking the records of all "
                        + "({} disagreements so far)", answers.size(), key, answers.stream()
                        .map(a -> a.holder().shortString()).toList(), counters.replicaDisagreements());
            }
        }
        return new DhtResult(values.isEmpty() ? DhtStatus.NOT_FOUND : DhtStatus.OK, values, r1.requestHops(),
                r1.replyHops());
    }

    /**
     * Read repair: writes to each holder the newer records of the others where its own are older
     * or missing ({@link ReadRepair}), as PUTs of the publishers' own envelopes routed to the
     * holder's address (the node nearest its own address is itself). Fire and forget: the holder
     * checks each record and keeps what its rules allow; the next confirmed read sees the result.
     */
    private void repair(DhtKey key, List<ReplicaAnswers.Answer> answers) {
        for (ReplicaAnswers.Answer a : answers) {
            for (ReadRepair.Copy c : ReplicaAnswers.lacking(a, answers)) {
                writeBack(key, c, a.holder());
            }
        }
    }

    private void writeBack(DhtKey key, ReadRepair.Copy copy, RingAddress holder) {
        if (copy.ttlMillis() <= 0 || !running) {
            return;
        }
        counters.readRepairs.inc();
        start(new Operation(new DhtMessage.Request(newId(), DhtMessage.Op.PUT, key, copy.record().envelope(),
                Math.min(copy.ttlMillis(), config.maxTtlMillis())), holder));
    }

    /** A new operation under way, or null when refused at once (a stopped node, a value or time to live over the limits). */
    private Operation operation(DhtMessage.Op op, DhtKey key, byte[] value, long ttlMillis, boolean released,
                                RingAddress target) {
        if (!running) {
            return null;
        }
        counters.operations.inc();
        if (op != DhtMessage.Op.GET && (value.length > config.maxValueBytes() || ttlMillis <= 0
                || ttlMillis > config.maxTtlMillis())) {
            if (value.length > config.maxValueBytes()) {
                counters.valueTooLarge.inc();
            } else {
                counters.badTtl.inc();
            }
            return null;
        }
        byte[] sealed = records == null || op == DhtMessage.Op.GET ? value.clone()
                : records.seal(key, value, ttlMillis, released);
        return start(new Operation(new DhtMessage.Request(newId(), op, key, sealed, ttlMillis), target));
    }

    private long newId() {
        long id = random.nextLong();
        while (pending.containsKey(id)) {
            id = random.nextLong();
        }
        return id;
    }

    private Operation start(Operation operation) {
        pending.put(operation.request.id(), operation);
        attempt(operation);
        return operation;
    }

    private void attempt(Operation operation) {
        operation.attempts++;
        long id = operation.request.id();
        operation.timer = scheduler.schedule(config.requestMillis(), () -> timedOut(id));
        router.send(operation.target, RoutingMode.NEAREST, PayloadTypes.DHT,
                DhtMessageCodec.encode(operation.request), true);
    }

    private void timedOut(long id) {
        Operation operation = pending.get(id);
        if (operation == null) {
            return;
        }
        if (operation.attempts < config.attempts()) {
            counters.retries.inc();
            attempt(operation);
        } else {
            pending.remove(id);
            counters.timeouts.inc();
            operation.future.complete(DhtResult.local(DhtStatus.TIMEOUT));
        }
    }

    void onReply(RingMessage.Routed m, DhtMessage.Reply reply) {
        Operation operation = pending.get(reply.id());
        if (operation == null) {
            counters.unexpectedReplies.inc();
            return;
        }
        operation.timer.cancel();
        if (reply.status() == DhtStatus.RETRY && operation.attempts < config.attempts()) {
            counters.retries.inc();
            operation.timer = scheduler.schedule(config.retryMillis(), () -> {
                if (pending.get(reply.id()) == operation) {
                    attempt(operation);
                }
            });
            return;
        }
        pending.remove(reply.id());
        DhtStatus status = reply.status() == DhtStatus.RETRY ? DhtStatus.TIMEOUT : reply.status();
        operation.answeredBy = m.from();
        operation.carried = reply.values().size();
        operation.holders = reply.holders();
        List<DhtValue> values = new ArrayList<>(reply.values());
        if (records != null) {
            values = open(operation, values);
            if (status == DhtStatus.OK && values.isEmpty() && operation.request.op() == DhtMessage.Op.GET) {
                status = DhtStatus.NOT_FOUND;
            }
        }
        values.sort(DhtValue.BY_BYTES);
        operation.future.complete(new DhtResult(status, values, reply.requestHops(), m.hops()));
    }

    /** The values inside the records that pass their checks, releases left out, in the order of {@code opened}. */
    private List<DhtValue> open(Operation operation, List<DhtValue> sealed) {
        List<DhtRecord> opened = new ArrayList<>(sealed.size());
        List<ReadRepair.Copy> checked = new ArrayList<>(sealed.size());
        for (DhtValue v : sealed) {
            DhtRecord record = records.check(operation.request.key(), v.bytes(), counters);
            if (record != null) {
                checked.add(new ReadRepair.Copy(record, v.ttlMillis()));
            }
            if (record != null && !record.released()) {
                opened.add(record);
            }
        }
        operation.checked = checked;
        opened.sort((a, b) -> java.util.Arrays.compareUnsigned(a.value(), b.value()));
        operation.opened = opened;
        List<DhtValue> values = new ArrayList<>(opened.size());
        for (DhtRecord r : opened) {
            long ttl = sealed.stream().filter(v -> java.util.Arrays.equals(v.bytes(), r.envelope())).findFirst()
                    .map(DhtValue::ttlMillis).orElse(0L);
            values.add(new DhtValue(r.value(), ttl, r.publisher()));
        }
        return values;
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
        counters.republished.inc();
    }

    /** Values kept published now. */
    int publications() {
        return publications.size();
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
