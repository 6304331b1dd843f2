package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.ring.routing.PayloadRegistry;
import io.ringswitch.overlay.ring.routing.Router;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A node's DHT: get, put and create-if-absent of values with a time to live, held by the
 * {@link DhtConfig#replicas() k} nodes nearest the SHA-1 of their key. It wires the parts, each
 * of which owns one job: the {@link DhtClient requester's side}, the {@link Coordinator node
 * nearest a key}, the {@link Replicator holders' upkeep} and the {@link DhtStore store}; and it
 * hands each DHT payload that arrives to the part it is for. Every call, and the completion of
 * every future, happens on the node's thread; nothing here blocks, and a node that nobody asks
 * to store anything sends nothing and sets no timer.
 */
public final class Dht {
    private final DhtConfig config;
    private final DhtCounters counters;
    private final DhtStore store;
    private final Replicator replicator;
    private final Coordinator coordinator;
    private final DhtClient client;
    private DhtRecords records;

    public Dht(LinkTable table, Router router, PayloadRegistry payloads, Random random, DhtConfig config) {
        this(table, router, payloads, random, config, new DhtCounters());
    }

    /** A DHT that counts in {@code counters} (the node's registry). */
    public Dht(LinkTable table, Router router, PayloadRegistry payloads, Random random, DhtConfig config,
               DhtCounters counters) {
        this.counters = counters;
        this.config = config;
        this.store = new DhtStore(config, counters, table.scheduler());
        this.replicator = new Replicator(table, router, store, config, counters);
        this.coordinator = new Coordinator(table, router, store, replicator, config, counters);
        this.client = new DhtClient(router, table.scheduler(), random, config, counters);
        payloads.register(PayloadTypes.DHT, new PayloadHandler() {
            @Override
            public void delivered(RingMessage.Routed message) {
                if (client.running()) {
                    receive(message);
                }
            }
        });
        table.addListener(new LinkTable.Listener() {
            @Override
            public void linkUp(Link link) {
                replicator.linkChanged(link.address(), true);
            }

            @Override
            public void linkDown(Link link) {
                replicator.linkChanged(link.address(), false);
            }
        });
    }

    /** Hands a DHT payload to its part; one that does not decode is counted and dropped. */
    private void receive(RingMessage.Routed m) {
        DhtMessage message;
        try {
            message = DhtMessageCodec.decode(m.payload());
        } catch (RingMessageCodec.MalformedException e) {
            counters.malformed.inc();
            return;
        }
        if (message instanceof DhtMessage.Request r) {
            coordinator.onRequest(m, r);
        } else if (message instanceof DhtMessage.Reply r) {
            client.onReply(m, r);
        } else if (message instanceof DhtMessage.Store s) {
            replicator.onStore(m.from(), s);
        } else if (message instanceof DhtMessage.Fetch f) {
            coordinator.onFetch(m, f);
        } else if (message instanceof DhtMessage.FetchReply f) {
            coordinator.onFetchReply(m, f);
        }
    }

    /**
     * From now on every value is a {@link DhtRecord record} sealed and checked by {@code records}
     * (a node of a group with a CA; set before the node starts). Without it, values are bare
     * bytes that anyone may replace (a plaintext lab), and {@link #recordsSigned()} says so.
     */
    public void useRecords(DhtRecords records) {
        this.records = records;
        store.useRecords(records);
        coordinator.useRecords(records);
        replicator.useRecords();
        client.useRecords(records);
    }

    /** The largest record envelope a holder takes (a signed record's certificate, signature and value together). */
    public static int maxEnvelopeBytes() {
        return DhtMessageCodec.MAX_VALUE;
    }

    /** Whether values are signed, owned records ({@link #useRecords}); false in a plaintext lab. */
    public boolean recordsSigned() {
        return records != null;
    }

    /** The node started: operations may go out. */
    public void start() {
        client.start();
    }

    /** The node stopped: open operations end STOPPED, kept values are no longer kept, the store is emptied. */
    public void stop() {
        client.stop();
        coordinator.stop();
        replicator.stop();
    }

    /**
     * The key's live values, as the node nearest it (and, if it has none, the other holders) know
     * them; with records, when the nearest node answered only records that fail this node's checks,
     * as the further holders it names know them ({@link DhtClient#get}).
     */
    public CompletableFuture<DhtResult> get(DhtKey key) {
        return client.get(key);
    }

    /**
     * The key's live values as two of its holders know them ({@link DhtClient#confirmed}): for
     * reads that matter (leases, the directory), so that the node nearest a key cannot alone hide
     * its owner's record. A plain {@link #get} without records.
     */
    public CompletableFuture<DhtResult> getConfirmed(DhtKey key) {
        return client.confirmed(key);
    }

    /**
     * Gives up this node's claim on the key at once: with records, a release record that takes the
     * place of the node's value (so that another publisher may claim a single-owner key now, not
     * when the value runs out) and carries {@code value} for readers of bare values; without
     * records, a put of {@code value} (a tombstone).
     */
    public CompletableFuture<DhtResult> release(DhtKey key, byte[] value, long ttlMillis) {
        return client.request(DhtMessage.Op.PUT, key, value, ttlMillis, true);
    }

    /**
     * Adds {@code value} to the key's values for {@code ttlMillis} (or gives the same value that
     * long again). A key holds up to {@link DhtConfig#maxValuesPerKey()} values; a further one is
     * refused with KEY_FULL.
     */
    public CompletableFuture<DhtResult> put(DhtKey key, byte[] value, long ttlMillis) {
        return client.request(DhtMessage.Op.PUT, key, value, ttlMillis);
    }

    /**
     * Stores {@code value} under the key if the key holds no live value: of creators racing for
     * a key exactly one gets CREATED, the others EXISTS, and each result lists the winner's value.
     * Creating again the value that the key holds alone also answers CREATED (and refreshes it),
     * so that a requester may safely ask again.
     */
    public CompletableFuture<DhtResult> createIfAbsent(DhtKey key, byte[] value, long ttlMillis) {
        return client.request(DhtMessage.Op.CREATE, key, value, ttlMillis);
    }

    /** Puts the value now and again every half of its time to live until the publication is cancelled. */
    public DhtPublication publish(DhtKey key, byte[] value, long ttlMillis) {
        return publish(key, value, ttlMillis, ttlMillis / 2);
    }

    /**
     * Puts the value now and again every {@code everyMillis} (at most half its time to live) until
     * the publication is cancelled: the period bounds how long the value stays missing should all
     * of its holders die at once.
     */
    public DhtPublication publish(DhtKey key, byte[] value, long ttlMillis, long everyMillis) {
        return client.publish(DhtMessage.Op.PUT, key, value, ttlMillis, everyMillis);
    }

    /**
     * Creates the value if the key is free and keeps it alive as long as it stays the key's one
     * value (an address lease); the publication ends by itself when an answer is EXISTS.
     */
    public DhtPublication createAndKeep(DhtKey key, byte[] value, long ttlMillis) {
        return client.publish(DhtMessage.Op.CREATE, key, value, ttlMillis, ttlMillis / 2);
    }

    public DhtConfig config() {
        return config;
    }

    public DhtCounters counters() {
        return counters;
    }

    /** The values this node holds itself for {@code key} (as one of its holders), live ones only; records with records. */
    public List<DhtValue> localValues(DhtKey key) {
        return store.live(key);
    }

    /** The keys this node holds itself. */
    public Set<DhtKey> localKeys() {
        return store.entries().stream().map(e -> e.key).collect(Collectors.toSet());
    }

    /**
     * Drops every record {@code publisher} signed from this node's store (its certificate was
     * revoked); records of it that come later are refused by the {@link DhtRecords} check.
     * Returns how many went.
     */
    public int forgetPublisher(RingAddress publisher) {
        return store.forget(publisher);
    }

    /** Values this node keeps published ({@link #publish}, {@link #createAndKeep}) until cancelled. */
    public int publications() {
        return client.publications();
    }

    /** Values this node holds over all keys. */
    public int localSize() {
        return store.size();
    }
}
