package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.Periodic;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each key this node holds on the {@code k} nodes nearest it. The node nearest a key sends
 * a changed key to every holder at once ({@link #pushNow}). Shortly after any of its links came
 * or went, and every sweep in any case (when it also drops expired values), a node looks at its
 * keys again and acts on where it stands towards each ({@link Replicas#standing}):
 * <ul>
 * <li>a holder sends the key to holders new since its last look (a node joined next to the key,
 * or a holder died and the next node moved up), and tells a holder that dropped out to let go
 * (that node's own view may be too short to see it);</li>
 * <li>a node that is none of the holders hands the key to the node nearest it (a store routed
 * there, which passes it on to the other holders if it lacked it) and lets it go after
 * {@link DhtConfig#handoffMillis()}, unless it finds itself a holder again meanwhile (its view
 * may have listed a node that died unnoticed, while the others still count on it);</li>
 * <li>a node whose near neighbours are too few to tell (fewer each side than the replicas, all of
 * them nearer the key) keeps what it was given and sends nothing: a copy far from its key, left
 * by a request that ended at the wrong node while the ring healed, expires with its time to live
 * instead of spreading from node to node.</li>
 * </ul>
 * A node that holds nothing sets no timer and sends nothing. In a group with a CA (with
 * {@link DhtRecords}) the values of a store are checked records (the store checks them), and a
 * release is taken only from the node's own view: a node that finds itself among a key's holders
 * (or cannot tell) keeps the key whoever tells it to let go, since the sender of a routed message is not proven
 * (a forged release would otherwise delete another's lease from a holder).
 */
final class Replicator {
    private final LinkTable table;
    private final Router router;
    private final DhtStore store;
    private final DhtConfig config;
    private final DhtCounters counters;
    private final Scheduler scheduler;
    private Periodic sweeps;
    private Scheduler.Cancellable resync;
    private boolean owned;

    Replicator(LinkTable table, Router router, DhtStore store, DhtConfig config, DhtCounters counters) {
        this.table = table;
        this.router = router;
        this.store = store;
        this.config = config;
        this.counters = counters;
        this.scheduler = table.scheduler();
    }

    /** Values are signed records from now on: releases are checked against this node's own view. */
    void useRecords() {
        owned = true;
    }

    /**
     * The key's holders as this node sees them: the nearest of itself and its near neighbours.
     * Shortcuts are left out: the ring between them and the near neighbours is unknown to this
     * node, and a shortcut that happens to be near the key would make it count nodes far from
     * the key among the holders.
     */
    List<RingAddress> holdersOf(DhtKey key) {
        List<Contact> near = table.nearContacts();
        List<RingAddress> candidates = new ArrayList<>(near.size() + 1);
        candidates.add(table.me());
        near.forEach(c -> candidates.add(c.address()));
        return Replicas.nearest(key.address(), candidates, config.replicas());
    }

    /** The node nearest the key changed it: every other holder gets the key now. */
    void pushNow(DhtKey key) {
        DhtStore.Entry entry = store.entry(key);
        if (entry == null) {
            return;
        }
        List<RingAddress> holders = holdersOf(key);
        Map<RingAddress, List<DhtMessage.Entry>> outbox = new LinkedHashMap<>();
        for (RingAddress h : holders) {
            if (!h.equals(table.me())) {
                outbox.computeIfAbsent(h, x -> new ArrayList<>()).add(new DhtMessage.Entry(key, store.live(key), holders));
                entry.holders.add(h);
            }
        }
        entry.lastHolders = holders;
        send(outbox);
        held();
    }

    /**
     * A record this node's wall clock alone refuses ({@link DhtStore.Outcome#OUT_OF_TIME}): sent on
     * to the key's other holders, which check it by their own clocks, so that a holder whose clock
     * is off does not keep a publisher's refresh from the rest (their copies would run out).
     */
    void passOn(DhtKey key, DhtValue value) {
        List<RingAddress> holders = holdersOf(key);
        Map<RingAddress, List<DhtMessage.Entry>> outbox = new LinkedHashMap<>();
        for (RingAddress h : holders) {
            if (!h.equals(table.me())) {
                outbox.put(h, List.of(new DhtMessage.Entry(key, List.of(value), holders)));
            }
        }
        counters.outOfTimePassedOn.inc();
        send(outbox);
    }

    /**
     * Keys another node sent. A holder's push (values, and the holders it sent them to) is taken
     * within this node's limits; a hand-off (values, no holders) too, and passed on to the other
     * holders if it was news and this node holds the key; a release (holders, no values) tells a
     * former holder to let the key go.
     */
    void onStore(RingAddress from, DhtMessage.Store m) {
        for (DhtMessage.Entry e : m.entries()) {
            if (e.values().isEmpty()) {
                release(from, e);
                continue;
            }
            boolean changed = store.merge(e.key(), e.values());
            if (changed) {
                counters.entriesTaken.inc();
            }
            DhtStore.Entry entry = store.entry(e.key());
            if (entry == null) {
                continue;
            }
            entry.holders.addAll(e.holders());
            entry.holders.remove(table.me());
            if (e.holders().isEmpty() && changed && standing(e.key()) == Replicas.Standing.HOLDER) {
                pushNow(e.key());
            }
        }
        held();
    }

    private void release(RingAddress from, DhtMessage.Entry e) {
        RingAddress me = table.me();
        RingAddress target = e.key().address();
        if (store.entry(e.key()) == null || !e.holders().contains(from) || e.holders().contains(me)
                || !e.holders().stream().allMatch(h -> Replicas.compare(target, h, me) < 0)) {
            return;
        }
        if (owned && standing(e.key()) != Replicas.Standing.NOT_HOLDER) {
            counters.releaseRefused.inc();
            return;
        }
        counters.released.inc();
        store.remove(e.key());
    }

    /** A link came or went: forget a departed peer as a holder, and look again shortly. */
    void linkChanged(RingAddress peer, boolean up) {
        if (store.isEmpty()) {
            return;
        }
        if (!up) {
            for (DhtStore.Entry entry : store.entries()) {
                entry.holders.remove(peer);
            }
        }
        if (resync == null) {
            resync = scheduler.schedule(config.resyncMillis(), () -> {
                resync = null;
                check();
            });
        }
    }

    /** Where this node stands towards {@code key}, by its near neighbours. */
    private Replicas.Standing standing(DhtKey key) {
        int side = table.nearPerSide();
        return Replicas.standing(table.me(), key.address(), addresses(table.left(side)), addresses(table.right(side)),
                side, config.replicas());
    }

    private static List<RingAddress> addresses(List<Contact> contacts) {
        return contacts.stream().map(Contact::address).toList();
    }

    /** Looks at every key again and acts on where this node stands towards it (see above). */
    void check() {
        if (!table.joined()) {
            return;
        }
        RingAddress me = table.me();
        long now = table.now();
        Map<RingAddress, List<DhtMessage.Entry>> outbox = new LinkedHashMap<>();
        List<DhtKey> letGo = new ArrayList<>();
        for (DhtStore.Entry entry : store.entries()) {
            List<DhtValue> live = store.live(entry.key);
            if (live.isEmpty()) {
                continue;
            }
            Replicas.Standing standing = standing(entry.key);
            if (standing == Replicas.Standing.UNSURE) {
                entry.outSince = -1;
                entry.lastHolders = null;
            } else if (standing == Replicas.Standing.NOT_HOLDER) {
                if (entry.outSince < 0) {
                    entry.outSince = now;
                    counters.handedOff.inc();
                    router.send(entry.key.address(), RoutingMode.NEAREST, PayloadTypes.DHT,
                            DhtMessageCodec.encode(new DhtMessage.Store(List.of(new DhtMessage.Entry(entry.key, live,
                                    List.of())))), true);
                } else if (now - entry.outSince >= config.handoffMillis()) {
                    letGo.add(entry.key);
                }
            } else {
                entry.outSince = -1;
                List<RingAddress> holders = holdersOf(entry.key);
                for (RingAddress h : holders) {
                    boolean fresh = entry.lastHolders != null && !entry.lastHolders.contains(h);
                    if (!h.equals(me) && (fresh || !entry.holders.contains(h))) {
                        outbox.computeIfAbsent(h, x -> new ArrayList<>())
                                .add(new DhtMessage.Entry(entry.key, live, holders));
                        entry.holders.add(h);
                    }
                }
                if (entry.lastHolders != null) {
                    for (RingAddress former : entry.lastHolders) {
                        if (!holders.contains(former) && !former.equals(me)) {
                            outbox.computeIfAbsent(former, x -> new ArrayList<>())
                                    .add(new DhtMessage.Entry(entry.key, List.of(), holders));
                        }
                    }
                }
                entry.holders.retainAll(holders);
                entry.lastHolders = holders;
            }
        }
        counters.letGo.inc(letGo.size());
        letGo.forEach(store::remove);
        send(outbox);
    }

    /** Packs each holder's keys into as few store messages as fit a routed message. */
    private void send(Map<RingAddress, List<DhtMessage.Entry>> outbox) {
        outbox.forEach((to, entries) -> {
            List<DhtMessage.Entry> batch = new ArrayList<>();
            int size = DhtMessageCodec.STORE_HEADER;
            for (DhtMessage.Entry e : entries) {
                int entrySize = DhtMessageCodec.sizeOf(e);
                if (!batch.isEmpty() && (size + entrySize > DhtMessageCodec.MAX_MESSAGE
                        || batch.size() == DhtMessageCodec.MAX_ENTRIES)) {
                    sendStore(to, batch);
                    batch = new ArrayList<>();
                    size = DhtMessageCodec.STORE_HEADER;
                }
                batch.add(e);
                size += entrySize;
            }
            if (!batch.isEmpty()) {
                sendStore(to, batch);
            }
        });
    }

    private void sendStore(RingAddress to, List<DhtMessage.Entry> batch) {
        counters.storesSent.inc();
        counters.entriesSent.inc(batch.size());
        router.send(to, RoutingMode.EXACT, PayloadTypes.DHT, DhtMessageCodec.encode(new DhtMessage.Store(batch)), true);
    }

    /** The store holds something: sweep it now and then, until it is empty again. */
    private void held() {
        if (sweeps == null && !store.isEmpty()) {
            sweeps = Periodic.start(scheduler, config.sweepMillis(), config.sweepMillis(), this::sweep);
        }
    }

    private void sweep() {
        store.expire();
        check();
        if (store.isEmpty()) {
            sweeps.stop();
            sweeps = null;
        }
    }

    /** Called when the node's own operations stored a key. */
    void stored() {
        held();
    }

    void stop() {
        if (sweeps != null) {
            sweeps.stop();
            sweeps = null;
        }
        if (resync != null) {
            resync.cancel();
            resync = null;
        }
        store.clear();
    }
}
