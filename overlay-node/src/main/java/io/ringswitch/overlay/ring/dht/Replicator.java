package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.Periodic;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps each key this node holds on the {@code k} nodes nearest it. A holder computes the key's
 * holders from itself and its links; it sends the key to holders that are new since it last
 * looked (a node joined next to the key, or one of them left and the next one moved up), and a
 * node that is no longer among them hands the key to them and lets it go. It looks shortly after
 * any of its links came or went, and every sweep in any case, when it also drops expired values.
 * A holder that sees a former holder drop out of the key's holders tells it so, for that node's
 * own view may be too short to see it (a node sees {@code nearPerSide} neighbours each side).
 * The node nearest a key sends a changed key to every holder at once ({@link #pushNow}). A node
 * that holds nothing sets no timer and sends nothing.
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

    Replicator(LinkTable table, Router router, DhtStore store, DhtConfig config, DhtCounters counters) {
        this.table = table;
        this.router = router;
        this.store = store;
        this.config = config;
        this.counters = counters;
        this.scheduler = table.scheduler();
    }

    /** The key's holders as this node sees them: the nearest of itself and its routable links. */
    List<RingAddress> holdersOf(DhtKey key) {
        Link[] links = table.clockwise();
        List<RingAddress> candidates = new ArrayList<>(links.length + 1);
        candidates.add(table.me());
        for (Link link : links) {
            candidates.add(link.address());
        }
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
     * Keys another holder sent: taken within this node's limits; the holders it names are noted.
     * An entry without values tells a former holder that the key's holders are now others, all
     * nearer the key than it: it lets the key go.
     */
    void onStore(RingAddress from, DhtMessage.Store m) {
        for (DhtMessage.Entry e : m.entries()) {
            if (e.values().isEmpty()) {
                release(from, e);
                continue;
            }
            if (store.merge(e.key(), e.values())) {
                counters.entriesTaken++;
            }
            DhtStore.Entry entry = store.entry(e.key());
            if (entry != null) {
                entry.holders.add(from);
                entry.holders.addAll(e.holders());
                entry.holders.remove(table.me());
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
        counters.released++;
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

    /**
     * Sends each key to the holders new since the last look (or not known to hold it), and lets
     * go of keys this node is no longer among the holders of, once they have them.
     */
    void check() {
        if (!table.joined()) {
            return;
        }
        RingAddress me = table.me();
        Map<RingAddress, List<DhtMessage.Entry>> outbox = new LinkedHashMap<>();
        List<DhtKey> letGo = new ArrayList<>();
        for (DhtStore.Entry entry : store.entries()) {
            List<DhtValue> live = store.live(entry.key);
            if (live.isEmpty()) {
                continue;
            }
            List<RingAddress> holders = holdersOf(entry.key);
            for (RingAddress h : holders) {
                boolean fresh = entry.lastHolders != null && !entry.lastHolders.contains(h);
                if (!h.equals(me) && (fresh || !entry.holders.contains(h))) {
                    outbox.computeIfAbsent(h, x -> new ArrayList<>()).add(new DhtMessage.Entry(entry.key, live, holders));
                    entry.holders.add(h);
                }
            }
            if (holders.contains(me) && entry.lastHolders != null) {
                for (RingAddress former : entry.lastHolders) {
                    if (!holders.contains(former) && !former.equals(me)) {
                        outbox.computeIfAbsent(former, x -> new ArrayList<>())
                                .add(new DhtMessage.Entry(entry.key, List.of(), holders));
                    }
                }
            }
            entry.holders.retainAll(holders);
            entry.lastHolders = holders;
            if (!holders.contains(me)) {
                letGo.add(entry.key);
            }
        }
        counters.handedOff += letGo.size();
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
        counters.storesSent++;
        counters.entriesSent += batch.size();
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
