package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.Router;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHT at the node nearest a key: answers gets, puts and creates that end here. Because the
 * node's thread takes one message at a time, it is the one place where operations on a key are
 * put in order. A create of a key this node holds no value of, and a get it cannot answer, first
 * read the key's other holders (a node that just became nearest may not have the key yet);
 * further requests for the key wait behind that read, so that of two racing creates the second
 * sees the first one's value. Two nodes that both take themselves for nearest (a ring still
 * settling) see each other's read: the farther one answers RETRY and its requester asks again.
 * With {@link DhtRecords}, values are signed records: the store checks each before it takes it,
 * what other holders return is checked before it is counted, a release does not count as a claim,
 * and a create is won again by its creator alone (same publisher, same value, a fresher record).
 * A record that this node's wall clock alone refuses (ahead or run out, {@link
 * DhtStore.Outcome#OUT_OF_TIME}) is not kept here but not buried either: a put of it is passed on
 * to the other holders and a get hands it to the reader, each of which checks it by its own clock,
 * so that one holder whose clock is off cannot make another publisher's record vanish. Every reply
 * names the key's holders as this node sees them, for readers to check with.
 */
final class Coordinator {
    private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
    /** Requests for one key that may wait behind a read of its holders. */
    private static final int MAX_WAITING = 32;
    /**
     * Reads of other holders under way, at most: each GET or CREATE of an absent key, from any
     * member, starts one for {@code fetchMillis}; past this, requesters are told to retry.
     */
    static final int MAX_READS = 1024;

    private record Waiting(RingMessage.Routed routed, DhtMessage.Request request) {
    }

    /** A read of the other holders under way, and the requests for the key waiting behind it. */
    private final class Decision {
        final long id;
        final RingMessage.Routed routed;
        final DhtMessage.Request request;
        final Set<RingAddress> awaiting = new HashSet<>();
        final List<DhtValue> found = new ArrayList<>();
        final List<Waiting> waiting = new ArrayList<>();
        boolean busy;
        Scheduler.Cancellable timer;

        Decision(long id, RingMessage.Routed routed, DhtMessage.Request request) {
            this.id = id;
            this.routed = routed;
            this.request = request;
        }
    }

    private final LinkTable table;
    private final Router router;
    private final DhtStore store;
    private final Replicator replicator;
    private final DhtConfig config;
    private final DhtCounters counters;
    private final Map<DhtKey, Decision> deciding = new HashMap<>();
    private final Map<Long, Decision> byId = new HashMap<>();
    private long nextId;
    private DhtRecords records;

    Coordinator(LinkTable table, Router router, DhtStore store, Replicator replicator, DhtConfig config,
                DhtCounters counters) {
        this.table = table;
        this.router = router;
        this.store = store;
        this.replicator = replicator;
        this.config = config;
        this.counters = counters;
    }

    void useRecords(DhtRecords records) {
        this.records = records;
    }

    void onRequest(RingMessage.Routed m, DhtMessage.Request r) {
        Decision under = deciding.get(r.key());
        if (under != null) {
            if (under.waiting.size() < MAX_WAITING) {
                under.waiting.add(new Waiting(m, r));
            } else {
                counters.queueFull.inc();
                reply(m, r, DhtStatus.RETRY, List.of());
            }
            return;
        }
        if (r.op() != DhtMessage.Op.GET && (r.value().length > store.maxBytes() || r.ttlMillis() <= 0
                || r.ttlMillis() > config.maxTtlMillis())) {
            if (r.value().length > store.maxBytes()) {
                counters.valueTooLarge.inc();
            } else {
                counters.badTtl.inc();
            }
            reply(m, r, DhtStatus.REFUSED, List.of());
            return;
        }
        List<DhtValue> live = store.live(r.key());
        switch (r.op()) {
            case GET -> {
                if (live.isEmpty()) {
                    read(m, r);
                } else {
                    reply(m, r, DhtStatus.OK, live);
                }
            }
            case PUT -> put(m, r);
            case CREATE -> {
                if (claims(r.key(), live).isEmpty()) {
                    read(m, r);
                } else {
                    settleCreate(m, r, live);
                }
            }
        }
    }

    private void put(RingMessage.Routed m, DhtMessage.Request r) {
        DhtStore.Outcome outcome = store.add(r.key(), r.value(), r.ttlMillis());
        if (outcome.stored()) {
            replicator.pushNow(r.key());
        } else if (outcome == DhtStore.Outcome.OUT_OF_TIME) {
            replicator.passOn(r.key(), new DhtValue(r.value(), r.ttlMillis()));
        }
        DhtStatus status = switch (outcome) {
            case ADDED, REFRESHED, REPLACED -> DhtStatus.OK;
            case KEY_FULL -> DhtStatus.KEY_FULL;
            case NODE_FULL -> DhtStatus.NODE_FULL;
            case NOT_OWNER -> DhtStatus.EXISTS;
            case TOO_LARGE, BAD_TTL, BAD_RECORD, STALE, PUBLISHER_FULL, OUT_OF_TIME -> DhtStatus.REFUSED;
        };
        reply(m, r, status, store.live(r.key()));
    }

    /**
     * A create of a key with values: won when the key holds this very value alone (the requester
     * asks again, or keeps its value alive), lost otherwise.
     */
    private void settleCreate(RingMessage.Routed m, DhtMessage.Request r, List<DhtValue> known) {
        List<DhtValue> claims = claims(r.key(), known);
        if (claims.size() == 1 && sameClaim(r.key(), claims.get(0).bytes(), r.value())) {
            if (!store.add(r.key(), r.value(), r.ttlMillis()).stored() && records != null) {
                reply(m, r, DhtStatus.REFUSED, known);
                return;
            }
            replicator.pushNow(r.key());
            counters.created.inc();
            reply(m, r, DhtStatus.CREATED, union(store.live(r.key()), known));
        } else {
            counters.createConflicts.inc();
            reply(m, r, DhtStatus.EXISTS, known);
        }
    }

    /** The values that claim the key: all of them, or with records those that are no release. */
    private List<DhtValue> claims(DhtKey key, List<DhtValue> values) {
        if (records == null) {
            return values;
        }
        List<DhtValue> out = new ArrayList<>(values.size());
        for (DhtValue v : values) {
            try {
                if (!DhtRecord.parse(v.bytes()).released()) {
                    out.add(v);
                }
            } catch (RingMessageCodec.MalformedException e) {
                counters.recordMalformed.inc();
            }
        }
        return out;
    }

    /** Whether a held value and a create's value are the same claim: same bytes, or the same publisher's same value. */
    private boolean sameClaim(DhtKey key, byte[] held, byte[] created) {
        if (records == null || Arrays.equals(held, created)) {
            return Arrays.equals(held, created);
        }
        try {
            return DhtRecord.parse(held).sameClaim(DhtRecord.parse(created));
        } catch (RingMessageCodec.MalformedException e) {
            return false;
        }
    }

    /** Reads the key's other holders before a create or an unanswered get is decided. */
    private void read(RingMessage.Routed m, DhtMessage.Request r) {
        Decision d = new Decision(++nextId, m, r);
        boolean creating = r.op() == DhtMessage.Op.CREATE;
        for (RingAddress h : replicator.holdersOf(r.key())) {
            if (!h.equals(table.me())) {
                d.awaiting.add(h);
            }
        }
        if (d.awaiting.isEmpty()) {
            decide(d);
            return;
        }
        if (deciding.size() >= MAX_READS) {
            if (Long.bitCount(Metrics.incremented(counters.readsFull)) == 1) {
                log.warn("{}: {} reads of other holders under way; asked {} to retry ({} so far)",
                        table.me().shortString(), deciding.size(), m.from().shortString(), counters.readsFull());
            }
            reply(m, r, DhtStatus.RETRY, List.of());
            return;
        }
        counters.fetches.inc();
        deciding.put(r.key(), d);
        byId.put(d.id, d);
        d.timer = table.scheduler().schedule(config.fetchMillis(), () -> {
            counters.fetchTimeouts.inc(d.awaiting.size());
            finish(d);
        });
        byte[] fetch = DhtMessageCodec.encode(new DhtMessage.Fetch(d.id, r.key(), creating));
        for (RingAddress h : d.awaiting) {
            router.send(h, RoutingMode.EXACT, PayloadTypes.DHT, fetch, true);
        }
    }

    /** Another node reads this one's values of a key; busy when this node, nearer the key, decides a create of it. */
    void onFetch(RingMessage.Routed m, DhtMessage.Fetch f) {
        Decision mine = deciding.get(f.key());
        boolean busy = f.creating() && mine != null && mine.request.op() == DhtMessage.Op.CREATE
                && Replicas.compare(f.key().address(), table.me(), m.from()) < 0;
        send(m.from(), new DhtMessage.FetchReply(f.id(), busy, store.live(f.key())));
    }

    void onFetchReply(RingMessage.Routed m, DhtMessage.FetchReply f) {
        Decision d = byId.get(f.id());
        if (d == null || !d.awaiting.remove(m.from())) {
            counters.unexpectedReplies.inc();
            return;
        }
        d.found.addAll(f.values());
        d.busy |= f.busy();
        if (d.awaiting.isEmpty()) {
            d.timer.cancel();
            finish(d);
        }
    }

    private void finish(Decision d) {
        deciding.remove(d.request.key());
        byId.remove(d.id);
        decide(d);
        for (Waiting w : d.waiting) {
            onRequest(w.routed(), w.request());
        }
    }

    /** The holders answered (or the time ran out): take what they hold, then answer. */
    private void decide(Decision d) {
        DhtMessage.Request r = d.request;
        List<DhtValue> outOfTime = new ArrayList<>();
        if (records != null) {
            List<DhtValue> inTime = new ArrayList<>(d.found.size());
            for (DhtValue v : d.found) {
                DhtRecord record = records.checkAnyTime(r.key(), v.bytes(), counters);
                if (record != null) {
                    (records.inTime(r.key(), record, counters) ? inTime : outOfTime).add(v);
                }
            }
            d.found.clear();
            d.found.addAll(inTime);
        }
        if (!d.found.isEmpty() && store.merge(r.key(), d.found)) {
            counters.entriesTaken.inc();
            replicator.stored();
        }
        List<DhtValue> known = union(store.live(r.key()), d.found);
        if (r.op() == DhtMessage.Op.GET) {
            // What only this node's clock refuses still goes to the reader, which checks it by its own.
            counters.outOfTimePassedOn.inc(outOfTime.size());
            known = union(known, outOfTime);
            reply(d.routed, r, known.isEmpty() ? DhtStatus.NOT_FOUND : DhtStatus.OK, known);
        } else if (d.busy) {
            counters.createRetries.inc();
            reply(d.routed, r, DhtStatus.RETRY, List.of());
        } else if (!claims(r.key(), known).isEmpty()) {
            settleCreate(d.routed, r, known);
        } else {
            DhtStore.Outcome outcome = store.add(r.key(), r.value(), r.ttlMillis());
            if (outcome.stored()) {
                replicator.pushNow(r.key());
                counters.created.inc();
                reply(d.routed, r, DhtStatus.CREATED, store.live(r.key()));
            } else {
                reply(d.routed, r, outcome == DhtStore.Outcome.NODE_FULL ? DhtStatus.NODE_FULL : DhtStatus.REFUSED,
                        List.of());
            }
        }
    }

    /** Values of both lists, each once with the longer time left, sorted, at most a key's worth. */
    private List<DhtValue> union(List<DhtValue> a, List<DhtValue> b) {
        List<DhtValue> out = new ArrayList<>(a);
        for (DhtValue v : b) {
            int at = -1;
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i).sameBytes(v.bytes())) {
                    at = i;
                }
            }
            if (at < 0) {
                out.add(v);
            } else if (out.get(at).ttlMillis() < v.ttlMillis()) {
                out.set(at, v);
            }
        }
        out.removeIf(v -> v.ttlMillis() <= 0 || v.ttlMillis() > config.maxTtlMillis()
                || v.bytes().length > store.maxBytes());
        out.sort(DhtValue.BY_BYTES);
        return out.size() > config.maxValuesPerKey() ? List.copyOf(out.subList(0, config.maxValuesPerKey())) : out;
    }

    private void reply(RingMessage.Routed m, DhtMessage.Request r, DhtStatus status, List<DhtValue> values) {
        counters.served.inc();
        send(m.from(), new DhtMessage.Reply(r.id(), status, m.hops(), values, replicator.holdersOf(r.key())));
    }

    private void send(RingAddress to, DhtMessage message) {
        router.send(to, RoutingMode.EXACT, PayloadTypes.DHT, DhtMessageCodec.encode(message), true);
    }

    void stop() {
        byId.values().forEach(d -> d.timer.cancel());
        byId.clear();
        deciding.clear();
    }
}
