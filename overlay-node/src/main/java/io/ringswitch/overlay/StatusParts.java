package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.link.Link;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ring's parts of the node's status file, from a scrape of the node's registry and its links (also for the control socket). */
public final class StatusParts {
    private StatusParts() {
    }

    /** The DHT records' section from a scrape of the node's registry. */
    static NodeStatus.DhtRecordStats dhtRecordStats(MetricsSnapshot s, boolean signed) {
        Map<String, Long> refused = new LinkedHashMap<>();
        refused.put("bad-signature", s.get(DhtCounters.RECORD_BAD_SIGNATURE));
        refused.put("not-a-member", s.get(DhtCounters.RECORD_NOT_MEMBER));
        refused.put("future-timestamp", s.get(DhtCounters.RECORD_FUTURE_TIMESTAMP));
        refused.put("not-owner", s.get(DhtCounters.RECORD_NOT_OWNER));
        refused.put("unsigned", s.get(DhtCounters.RECORD_UNSIGNED));
        refused.put("expired", s.get(DhtCounters.RECORD_EXPIRED));
        refused.put("malformed", s.get(DhtCounters.RECORD_MALFORMED));
        refused.put("release-by-non-holder", s.get(DhtCounters.RELEASE_REFUSED));
        return new NodeStatus.DhtRecordStats(signed, refused, s.get(DhtCounters.REPLICA_DISAGREEMENTS));
    }

    /** The ring's section from a scrape of the node's registry. */
    static NodeStatus.RingStats ringStats(MetricsSnapshot s) {
        return new NodeStatus.RingStats(s.get(RingCounters.SENT), s.get(RingCounters.ORIGINATED),
                s.get(RingCounters.DELIVERED), s.get(RingCounters.FORWARDED), s.get(RingCounters.RELAYED),
                s.get(RingCounters.NO_ROUTE), s.get(RingCounters.TTL_EXPIRED), s.get(RingCounters.HOP_LIMIT_ABUSE),
                s.get(RingCounters.HOP_RETRIES), s.get(RingCounters.RETRIES_EXHAUSTED), s.get(RingCounters.FROM_STRANGER),
                s.get(RingCounters.MALFORMED), s.get(RingCounters.UNKNOWN_PAYLOAD), s.get(RingCounters.LINKS_UP),
                s.get(RingCounters.LINKS_DOWN), s.get(RingCounters.LINKS_TRIMMED), s.get(RingCounters.LINKS_DEAD),
                s.get(RingCounters.LINKS_CLOSED_BY_PEER), s.get(RingCounters.LINKS_REFUSED),
                s.get(RingCounters.LINKS_ACCEPTED), s.get(RingCounters.CONNECTS_ANSWERED),
                s.get(RingCounters.CONNECTS_ALREADY_LINKED), s.get(RingCounters.SELF_LOOKUPS),
                s.get(RingCounters.BROADCASTS_ORIGINATED), s.get(RingCounters.BROADCASTS_DELIVERED),
                s.get(RingCounters.BROADCAST_DUPLICATES), s.get(RingCounters.ON_DEMAND_REQUESTED));
    }

    /** What the node's DHT holds for others and publishes itself, from a scrape of the node's registry. */
    static NodeStatus.DhtHoldings dhtHoldings(MetricsSnapshot s) {
        return new NodeStatus.DhtHoldings((int) s.gauge(RingGauges.DHT_RECORDS, 0), (int) s.gauge(RingGauges.DHT_KEYS, 0),
                (int) s.gauge(RingGauges.DHT_PUBLISHED, 0));
    }

    /** What a ring node's DHT holds and publishes, read from it directly (a ring node without the node's registry, in tests). */
    public static NodeStatus.DhtHoldings dhtHoldings(Dht dht) {
        return new NodeStatus.DhtHoldings(dht.localSize(), dht.localKeys().size(), dht.publications());
    }

    /** One link with its traffic; {@code now} on the ring's clock, for its age. */
    public static NodeStatus.LinkStatus linkStatus(Link link, long now) {
        List<String> claims = new ArrayList<>();
        link.claims().forEach(c -> claims.add(c.name().toLowerCase()));
        if (link.peerClaim() != null) {
            claims.add("peer:" + link.peerClaim().name().toLowerCase());
        }
        return new NodeStatus.LinkStatus(link.address().toString(), link.path().toString(), link.path().kind(), claims,
                link.rttMillis(), link.bytesIn(), link.bytesOut(), link.recordsIn(), link.recordsOut(),
                Math.max(0, now - link.created()) / 1000);
    }
}
