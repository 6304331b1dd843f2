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
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Multicast membership in the DHT: key {@code mcast4:239.1.2.3} or {@code mcast6:ff15::1}, one
 * value per site with members, its ring address (20 bytes), kept for {@link #TTL_MILLIS} and put
 * again every {@link #REPUBLISH_MILLIS} while the site has a member; a site whose last member left
 * cancels its publication and its value expires. A key holds at most
 * {@code maxValuesPerKey} sites: a full key means "too many sites to list" and the group goes to
 * every site. With signed records a member record must name its publisher: a value naming another
 * site than the one that signed it is refused and counted ({@link #notPublisher()}). Used on the
 * node's event loop.
 */
public final class DhtMulticastDirectory implements MulticastDirectory {
    private static final Logger log = LoggerFactory.getLogger(DhtMulticastDirectory.class);
    static final long TTL_MILLIS = 20_000;
    static final long REPUBLISH_MILLIS = 5_000;

    private final Dht dht;
    private final RingAddress self;
    private final Map<InetAddress, DhtPublication> published = new HashMap<>();
    /** Member records naming another site than the one that signed them. */
    public static final CounterKey NOT_PUBLISHER = CounterKey.refused("multicast-members", "not-publisher");
    private final CounterDataPoint notPublisher;

    /** A directory counting its refusals in a registry of its own (tests). */
    public DhtMulticastDirectory(Dht dht, RingAddress self) {
        this(dht, self, NodeMetrics.inProcess());
    }

    /** A directory of multicast members in {@code dht}, counting its refusals in {@code metrics}. */
    public DhtMulticastDirectory(Dht dht, RingAddress self, NodeMetrics metrics) {
        this.notPublisher = NOT_PUBLISHER.in(metrics);
        this.dht = dht;
        this.self = self;
    }

    static DhtKey key(InetAddress group) {
        return DhtKey.of((group instanceof Inet4Address ? "mcast4:" : "mcast6:") + text(group));
    }

    /** An address as text; IPv6 in the one form of RFC 5952 §4 (so every node names a key alike). */
    static String text(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length == 4) {
            return address.getHostAddress();
        }
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (a[2 * i] & 0xff) << 8 | a[2 * i + 1] & 0xff;
        }
        int bestAt = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestAt = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(words[i]));
        }
        return out.toString();
    }

    @Override
    public void join(InetAddress group) {
        if (!published.containsKey(group)) {
            published.put(group, dht.publish(key(group), self.toBytes(), TTL_MILLIS, REPUBLISH_MILLIS));
        }
    }

    @Override
    public void leave(InetAddress group) {
        DhtPublication p = published.remove(group);
        if (p != null) {
            p.cancel();
        }
    }

    /** Whether a site other than this one has members of {@code group} (true when the DHT cannot tell). */
    public CompletableFuture<Boolean> othersHaveMembers(InetAddress group) {
        return lookup(group).thenApply(m -> m.all() || m.sites().stream().anyMatch(site -> !site.equals(self)));
    }

    @Override
    public CompletableFuture<Members> lookup(InetAddress group) {
        return dht.get(key(group)).thenApply(r -> {
            if (r.status() == DhtStatus.NOT_FOUND) {
                return new Members(List.of(), false);
            }
            if (r.status() != DhtStatus.OK || r.values().size() >= dht.config().maxValuesPerKey()) {
                return Members.EVERY_SITE;
            }
            List<RingAddress> sites = new ArrayList<>();
            for (DhtValue v : r.values()) {
                if (v.bytes().length != RingAddress.BYTES) {
                    continue;
                }
                RingAddress site = RingAddress.of(v.bytes());
                if (v.publishedBy(site)) {
                    sites.add(site);
                } else {
                    long n = Metrics.incremented(notPublisher);
                    if (Long.bitCount(n) == 1) {
                        log.warn("member record of {} naming {} refused: signed by {} ({} so far)", group,
                                site.shortString(), v.publisher().shortString(), n);
                    }
                }
            }
            return new Members(sites, false);
        });
    }

    /** Member records refused because they named another site than the one that signed them. */
    public long notPublisher() {
        return notPublisher.getLongValue();
    }
}
