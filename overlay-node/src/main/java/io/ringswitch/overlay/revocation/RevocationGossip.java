package io.ringswitch.overlay.revocation;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtPublication;
import io.ringswitch.overlay.ring.dht.DhtValue;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.security.RevocationCodec;
import io.ringswitch.overlay.security.RevocationRecord;
import io.ringswitch.overlay.security.Revocations;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands revocations on over the ring and takes them from it (issue 19):
 * <ul>
 * <li>a broadcast of payload type {@link PayloadTypes#REVOCATION} carries a record to every node,
 *     each of which checks it against the CA ({@link Revocations#learn}) before it acts; a record
 *     learnt from the CRL, from the DHT or from this host is broadcast, one learnt from a
 *     broadcast is not broadcast again (the bounded broadcast already reaches every node once);</li>
 * <li>the DHT key {@code revoked:GROUP} holds, per publisher, the newest records it knows (as
 *     many as fit in one value), so that a node that was away reads them when it joins or rejoins
 *     ({@link #tick}) and every {@value #REREAD_MILLIS} ms. Nodes that learnt a record from the CRL,
 *     the DHT or this host publish; of those that learnt it from a broadcast, only about
 *     {@value #BROADCAST_PUBLISHERS} in the whole ring do (each with the chance that many over
 *     the ring's estimated size), so that a key's holders are not asked by every node at once.</li>
 * </ul>
 * What it does is counted in the ring node's registry, {@code ringswitch_revocation_gossip_total{event}}.
 * Confined to the node's event loop.
 */
public final class RevocationGossip implements PayloadHandler, Revocations.Listener {
    private static final Logger log = LoggerFactory.getLogger(RevocationGossip.class);
    /** The DHT key's prefix; the group's name follows. */
    public static final String KEY_PREFIX = "revoked:";
    /** How long a published value lives: renewed every half of it while this node runs. */
    static final long TTL_MILLIS = 6 * 3_600_000L;
    static final long REREAD_MILLIS = 300_000;
    static final int BROADCAST_PUBLISHERS = 4;

    private final RingNode ring;
    private final Revocations revocations;
    private final DhtKey key;
    private final Random random;
    private DhtPublication publication;
    private boolean wasConnected;
    private long lastRead;
    private static final String EVENTS = "ringswitch_revocation_gossip_total";
    private static final String EVENTS_HELP = "Revocations handed on over the ring and read from the DHT, by event.";
    /** Revocation broadcasts this node started. */
    public static final CounterKey BROADCASTS_SENT = CounterKey.of(EVENTS, EVENTS_HELP, "event", "broadcast_sent");
    /** Reads of the group's revocations key in the DHT. */
    public static final CounterKey DHT_READS = CounterKey.of(EVENTS, EVENTS_HELP, "event", "dht_read");
    /** Routed (not broadcast) revocation messages, which carry nothing this node takes. */
    public static final CounterKey ROUTED_IGNORED = CounterKey.of(EVENTS, EVENTS_HELP, "event", "routed_ignored");
    private final CounterDataPoint broadcastsSent;
    private final CounterDataPoint readsFromDht;
    private final CounterDataPoint routedIgnored;

    public RevocationGossip(RingNode ring, Revocations revocations, String group, Random random) {
        this.ring = ring;
        this.revocations = revocations;
        this.key = key(group);
        this.random = random;
        this.broadcastsSent = BROADCASTS_SENT.in(ring.metrics());
        this.readsFromDht = DHT_READS.in(ring.metrics());
        this.routedIgnored = ROUTED_IGNORED.in(ring.metrics());
    }

    /** The DHT key that holds the revocations of {@code group}. */
    public static DhtKey key(String group) {
        return DhtKey.of(KEY_PREFIX + group);
    }

    @Override
    public void delivered(RingMessage.Routed message) {
        // Revocations travel by broadcast only.
        routedIgnored.inc();
    }

    /**
     * A revocation broadcast goes on only when every record in it is the group CA's: a member that
     * broadcasts a forged one reaches its first hops only (the hop counts it, and learns nothing).
     */
    @Override
    public boolean passesOn(RingAddress origin, byte[] payload) {
        try {
            for (RevocationRecord r : RevocationCodec.decodeList(payload)) {
                if (!revocations.genuine(r)) {
                    revocations.forged(r, Revocations.Source.BROADCAST);
                    return false;
                }
            }
            return true;
        } catch (RevocationCodec.Malformed e) {
            revocations.malformed(Revocations.Source.BROADCAST, origin.shortString() + ": " + e.getMessage());
            return false;
        }
    }

    @Override
    public void broadcastDelivered(RingAddress origin, byte[] payload) {
        take(payload, Revocations.Source.BROADCAST, origin);
    }

    /** A record new to this node: enforced by others' listeners; here handed on by the other ways. */
    @Override
    public void revoked(RevocationRecord record, Revocations.Source source) {
        if (source == Revocations.Source.STORED) {
            return;
        }
        if (source != Revocations.Source.BROADCAST) {
            ring.broadcast(PayloadTypes.REVOCATION, RevocationCodec.encodeList(List.of(record)));
            broadcastsSent.inc();
        }
        if (source != Revocations.Source.BROADCAST
                || random.nextDouble() * Math.max(1, ring.estimatedSize()) < BROADCAST_PUBLISHERS) {
            publish();
        }
    }

    /**
     * Reads the DHT's revocations when the node has just joined or rejoined the ring, and every
     * {@value #REREAD_MILLIS} ms; publishes what this node knows on the first join. Called every
     * second on the loop.
     */
    public void tick(long nowMillis) {
        boolean connected = ring.isConnected();
        if (connected && (!wasConnected || nowMillis - lastRead >= REREAD_MILLIS)) {
            lastRead = nowMillis;
            read();
            if (!wasConnected && publication == null && revocations.size() > 0) {
                publish();
            }
        }
        wasConnected = connected;
    }

    /** Reads {@code revoked:GROUP} and learns what is in it. */
    public void read() {
        readsFromDht.inc();
        ring.dht().get(key).whenComplete((result, error) -> {
            if (result == null || result.values() == null) {
                return;
            }
            for (DhtValue v : result.values()) {
                take(v.bytes(), Revocations.Source.DHT, v.publisher());
            }
        });
    }

    /** Puts this node's newest revocations under the key, replacing what it put there before. */
    public void publish() {
        if (publication != null) {
            publication.cancel();
        }
        byte[] value = RevocationCodec.encodeList(revocations.all(), ring.dht().config().maxValueBytes());
        publication = ring.dht().publish(key, value, Math.min(TTL_MILLIS, ring.dht().config().maxTtlMillis()));
    }

    private void take(byte[] payload, Revocations.Source source, RingAddress from) {
        List<RevocationRecord> records;
        try {
            records = RevocationCodec.decodeList(payload);
        } catch (RevocationCodec.Malformed e) {
            revocations.malformed(source, (from == null ? "" : from.shortString() + ": ") + e.getMessage());
            return;
        }
        int fresh = revocations.learnAll(records, source);
        if (fresh > 0) {
            log.info("{} new revocations from the {} ({})", fresh, source.name().toLowerCase(),
                    from == null ? "?" : from.shortString());
        }
    }

    /** Broadcasts this node started. */
    public long broadcastsSent() {
        return broadcastsSent.getLongValue();
    }

    /** Reads of the DHT key so far. */
    public long readsFromDht() {
        return readsFromDht.getLongValue();
    }
}
