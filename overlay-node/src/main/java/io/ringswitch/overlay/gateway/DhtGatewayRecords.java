package io.ringswitch.overlay.gateway;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.dht.DhtValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group's gateway records in the DHT: every gateway puts its values under the one key
 * {@code gw:GROUP} (as multicast members share a group's key), each for {@link #TTL_MILLIS}; a
 * gateway's newest value counts, and a withdrawn one means it stopped. A key holds
 * {@code maxValuesPerKey} values (8 by default); a gateway keeps at most two live ones (it changes
 * its value at most once a time to live), so a group has room for three gateways and their
 * withdrawals. Used on the node's event loop.
 */
public final class DhtGatewayRecords {
    private static final Logger log = LoggerFactory.getLogger(DhtGatewayRecords.class);
    /** A gateway that dies without withdrawing drops out of every client's list within this. */
    public static final long TTL_MILLIS = 30_000;
    /** How often a gateway puts its value again. */
    public static final long REFRESH_MILLIS = 10_000;

    private final Dht dht;
    private final DhtKey key;
    private final CounterDataPoint malformed;

    /** The records of {@code group} in {@code dht}, counting refused values in a registry of their own (tests). */
    public DhtGatewayRecords(Dht dht, String group) {
        this(dht, group, NodeMetrics.inProcess());
    }

    /** The records of {@code group} in {@code dht}, counting refused values in {@code metrics}. */
    public DhtGatewayRecords(Dht dht, String group, NodeMetrics metrics) {
        this.dht = dht;
        this.key = key(group);
        this.malformed = GatewayMetrics.RECORDS_MALFORMED.in(metrics);
    }

    static DhtKey key(String group) {
        return DhtKey.of("gw:" + group);
    }

    /** Puts {@code record} for {@link #TTL_MILLIS}. */
    public CompletableFuture<DhtResult> put(GatewayRecord record) {
        return dht.put(key, GatewayRecordCodec.encode(record), TTL_MILLIS);
    }

    /**
     * The gateways that publish now: each one's newest record, unless it is withdrawn. Null when
     * the DHT could not tell (a timeout): the caller keeps what it knew.
     */
    public CompletableFuture<List<GatewayRecord>> read() {
        return dht.get(key).thenApply(this::current);
    }

    List<GatewayRecord> current(DhtResult result) {
        if (result.status() == DhtStatus.NOT_FOUND) {
            return List.of();
        }
        if (result.status() != DhtStatus.OK) {
            return null;
        }
        Map<RingAddress, GatewayRecord> newest = new HashMap<>();
        for (DhtValue v : result.values()) {
            GatewayRecord r;
            try {
                r = GatewayRecordCodec.decode(v.bytes());
            } catch (GatewayRecordCodec.MalformedException e) {
                long n = Metrics.incremented(malformed);
                if (Long.bitCount(n) == 1) {
                    log.warn("gateway record under {} refused ({}; {} so far)", key, e.getMessage(), n);
                }
                continue;
            }
            if (!v.publishedBy(r.address())) {
                long n = Metrics.incremented(malformed);
                if (Long.bitCount(n) == 1) {
                    log.warn("gateway record under {} for {} refused: signed by {} ({} so far)", key,
                            r.address().shortString(), v.publisher().shortString(), n);
                }
                continue;
            }
            newest.merge(r.address(), r, (a, b) -> b.publishedAt() > a.publishedAt() ? b : a);
        }
        List<GatewayRecord> live = new ArrayList<>();
        for (GatewayRecord r : newest.values()) {
            if (!r.withdrawn()) {
                live.add(r);
            }
        }
        live.sort((a, b) -> a.address().compareTo(b.address()));
        return live;
    }

    /** Values under the key that were not gateway records, or were signed by another node than the gateway they name, refused. */
    public long malformed() {
        return malformed.getLongValue();
    }
}
