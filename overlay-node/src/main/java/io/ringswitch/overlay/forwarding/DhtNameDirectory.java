package io.ringswitch.overlay.forwarding;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtPublication;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.dht.DhtValue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group's host names in the DHT, for the DNS the switch controller answers: key
 * {@code name:LABEL}, one value per address a site published for it: the site's ring address (20
 * bytes), the address's length (1: 4 or 16) and the address. Kept for {@link #TTL_MILLIS} and put
 * again while the host stays (like the directory's records); values that are not of this shape are
 * refused and counted. Used on the node's event loop.
 */
public final class DhtNameDirectory {
    private static final Logger log = LoggerFactory.getLogger(DhtNameDirectory.class);
    static final long TTL_MILLIS = 30_000;
    static final int MAX_PUBLISHED = 1024;

    /** A name and an address this site publishes. */
    private record Published(String name, InetAddress ip) {
    }

    private final Dht dht;
    private final RingAddress self;
    private final String domain;
    private final Map<Published, DhtPublication> published = new HashMap<>();
    /** Values under a name's key that are no address. */
    public static final CounterKey MALFORMED = CounterKey.refused("names", "malformed");
    private final CounterDataPoint malformed;

    /** A directory counting its refusals in a registry of its own (tests). */
    public DhtNameDirectory(Dht dht, RingAddress self, String domain) {
        this(dht, self, domain, NodeMetrics.inProcess());
    }

    /** A directory of the names under {@code domain}, counting its refusals in {@code metrics}. */
    public DhtNameDirectory(Dht dht, RingAddress self, String domain, NodeMetrics metrics) {
        this.malformed = MALFORMED.in(metrics);
        this.dht = dht;
        this.self = self;
        this.domain = domain;
    }

    static DhtKey key(String name) {
        return DhtKey.of("name:" + name);
    }

    public String domain() {
        return domain;
    }

    /** {@code name} (one DNS label, lower case) is a host of this site at {@code ip}. */
    public void publish(String name, InetAddress ip) {
        Published p = new Published(name, ip);
        if (!published.containsKey(p) && published.size() < MAX_PUBLISHED && validLabel(name)) {
            byte[] a = ip.getAddress();
            byte[] value = ByteBuffer.allocate(RingAddress.BYTES + 1 + a.length).put(self.toBytes()).put((byte) a.length).put(a)
                    .array();
            published.put(p, dht.publish(key(name), value, TTL_MILLIS));
        }
    }

    public void withdraw(String name, InetAddress ip) {
        DhtPublication p = published.remove(new Published(name, ip));
        if (p != null) {
            p.cancel();
        }
    }

    /** The addresses published for {@code name}, each once, in the DHT's order; empty when none (or the DHT cannot tell). */
    public CompletableFuture<List<InetAddress>> lookup(String name) {
        if (!validLabel(name)) {
            return CompletableFuture.completedFuture(List.of());
        }
        return dht.get(key(name)).thenApply(r -> {
            List<InetAddress> found = new ArrayList<>();
            if (r.status() != DhtStatus.OK) {
                return found;
            }
            for (DhtValue v : r.values()) {
                InetAddress ip = address(v.bytes());
                if (ip == null) {
                    long n = Metrics.incremented(malformed);
                    if (Long.bitCount(n) == 1) {
                        log.warn("name record for {} refused ({} bytes; {} so far)", name, v.bytes().length, n);
                    }
                } else if (!found.contains(ip)) {
                    found.add(ip);
                }
            }
            return found;
        });
    }

    private static InetAddress address(byte[] v) {
        int length = v.length - RingAddress.BYTES - 1;
        if ((length != 4 && length != 16) || v[RingAddress.BYTES] != length) {
            return null;
        }
        try {
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(v, RingAddress.BYTES + 1, v.length));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** One DNS label (RFC 1035 §2.3.1), lower case. */
    static boolean validLabel(String name) {
        return name != null && name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    }

    /** Values under a name key that were not name records, refused. */
    public long malformed() {
        return malformed.getLongValue();
    }
}
