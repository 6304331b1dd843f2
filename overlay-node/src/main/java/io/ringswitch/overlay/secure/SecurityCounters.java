package io.ringswitch.overlay.secure;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.PeerPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the secure link layer refused and why, and how many sessions it made, as data points of the
 * node's registry ({@code ringswitch_refused_total{layer="secure",reason}},
 * {@code ringswitch_secure_events_total{event}}, {@code ringswitch_relay_forwarded_bytes_total}). Each
 * refusal has its counter (e.g. {@code certificate-expired}, {@code record-forged}); the first of each and then
 * every power of two is logged, and the last {@link #KEEP} refused handshakes (and the newest of
 * each reason) are kept for the status file. Confined to the event loop.
 */
final class SecurityCounters {
    private static final Logger log = LoggerFactory.getLogger(SecurityCounters.class);
    static final int KEEP = 16;
    private final Deque<NodeStatus.Refusal> last = new ArrayDeque<>();
    /**
     * The newest refusal of each reason, so that one frequent reason (a node with an expired
     * certificate retrying) does not push every other out of the status; bounded by the reasons
     * this code names.
     */
    private final Map<String, NodeStatus.Refusal> lastByReason = new HashMap<>();
    private static final String EVENTS = "ringswitch_secure_events_total";
    private static final String EVENTS_HELP = "Secure link layer events: sessions made and renewed, cookies, keepalives, roaming, revocations.";
    static final CounterKey HANDSHAKES = CounterKey.of(EVENTS, EVENTS_HELP, "event", "handshake");
    static final CounterKey REKEYS = CounterKey.of(EVENTS, EVENTS_HELP, "event", "rekey");
    static final CounterKey COOKIES_SENT = CounterKey.of(EVENTS, EVENTS_HELP, "event", "cookie_sent");
    static final CounterKey KEEPALIVES_SENT = CounterKey.of(EVENTS, EVENTS_HELP, "event", "keepalive_sent");
    static final CounterKey ROAMED = CounterKey.of(EVENTS, EVENTS_HELP, "event", "roamed");
    static final CounterKey REVOKED_PEERS_CLOSED = CounterKey.of(EVENTS, EVENTS_HELP, "event", "revoked_peer_closed");
    static final CounterKey REVOKED_SESSIONS_CLOSED = CounterKey.of(EVENTS, EVENTS_HELP, "event", "revoked_session_closed");
    static final CounterKey RELAYED_RECORDS = new CounterKey("ringswitch_relay_forwarded_records_total",
            "Records this node passed on as a two-hop relay.", List.of(), List.of());
    static final CounterKey RELAYED_BYTES = new CounterKey("ringswitch_relay_forwarded_bytes_total",
            "Bytes of the inner datagrams this node passed on as a two-hop relay.", List.of(), List.of());
    /** The layer this counts refusals under in {@code ringswitch_refused_total}. */
    static final String LAYER = "secure";

    private final NodeMetrics metrics;
    /** Each reason's data point, resolved once: a flood of one refusal costs no label lookup per datagram. */
    private final Map<String, CounterDataPoint> refusedBy = new HashMap<>();
    final CounterDataPoint handshakes;
    final CounterDataPoint rekeys;
    final CounterDataPoint cookiesSent;
    /** Keepalives sent to hold NAT mappings open (not those that confirm a new session). */
    final CounterDataPoint keepalivesSent;
    /** Times a peer's sessions moved to a new path of its. */
    final CounterDataPoint roamed;
    /** Records this node passed on as a relay, and their inner datagrams' bytes. */
    final CounterDataPoint relayedRecords;
    final CounterDataPoint relayedBytes;
    /** Peers whose sessions were closed because their certificate was revoked; and those sessions. */
    final CounterDataPoint revokedPeersClosed;
    final CounterDataPoint revokedSessionsClosed;

    /** Counters in a registry of their own (the layer tested alone). */
    SecurityCounters() {
        this(NodeMetrics.inProcess());
    }

    SecurityCounters(NodeMetrics metrics) {
        this.metrics = metrics;
        handshakes = HANDSHAKES.in(metrics);
        rekeys = REKEYS.in(metrics);
        cookiesSent = COOKIES_SENT.in(metrics);
        keepalivesSent = KEEPALIVES_SENT.in(metrics);
        roamed = ROAMED.in(metrics);
        relayedRecords = RELAYED_RECORDS.in(metrics);
        relayedBytes = RELAYED_BYTES.in(metrics);
        revokedPeersClosed = REVOKED_PEERS_CLOSED.in(metrics);
        revokedSessionsClosed = REVOKED_SESSIONS_CLOSED.in(metrics);
    }

    /** One more refusal for {@code reason}; its count. */
    private long refusal(String reason) {
        CounterDataPoint p = refusedBy.computeIfAbsent(reason, r -> CounterKey.refused(LAYER, r).in(metrics));
        p.inc();
        return p.getLongValue();
    }

    /** A datagram refused for {@code reason}, counted and (sparingly) logged. */
    void count(String reason, PeerPath from) {
        long n = refusal(reason);
        if (Long.bitCount(n) == 1) {
            log.atWarn().addKeyValue("path", describe(from)).addKeyValue("reason", reason).addKeyValue("count", n)
                    .log("refused a datagram from {}: {} ({} so far)", from, reason, n);
        }
    }

    /** A handshake refused, with what the peer claimed and what failed. */
    void refuse(PeerPath from, String peer, String reason, String detail, long wallMillis) {
        long n = refusal(reason);
        if (Long.bitCount(n) == 1) {
            log.atWarn().addKeyValue("peer", peer == null ? "" : peer).addKeyValue("path", describe(from))
                    .addKeyValue("reason", reason).addKeyValue("detail", detail == null ? "" : detail).addKeyValue("count", n)
                    .log("refused a link from {}{}: {}: {} ({} so far)", from, peer == null ? "" : " (" + peer + ")", reason,
                            detail, n);
        }
        NodeStatus.Refusal r = new NodeStatus.Refusal(describe(from), peer == null ? "" : peer, reason,
                detail == null ? "" : detail, wallMillis);
        last.addLast(r);
        lastByReason.put(reason, r);
        while (last.size() > KEEP) {
            last.removeFirst();
        }
    }

    /** A UDP source as it always read ({@code /10.0.0.5:5800}, what the lab tools match); other paths by kind. */
    private static String describe(PeerPath from) {
        return from instanceof PeerPath.Udp u ? String.valueOf(u.endpoint()) : String.valueOf(from);
    }

    long refused(String reason) {
        CounterDataPoint p = refusedBy.get(reason);
        return p == null ? 0 : p.getLongValue();
    }

    /**
     * The status's security section from a scrape of the registry: the secure layer's refusals and
     * those counted elsewhere ({@code more}: the decoder's, TCP links', the ring's forged sources),
     * under the reasons the status has always named them by.
     */
    NodeStatus.SecurityStats snapshot(MetricsSnapshot scrape, String group, int sessions, Map<String, Integer> ciphers,
                                      Map<String, CounterKey> more) {
        Map<String, Long> all = new LinkedHashMap<>(scrape.refused(LAYER));
        more.forEach((reason, key) -> {
            long v = scrape.get(key);
            if (v > 0) {
                all.merge(reason, v, Long::sum);
            }
        });
        List<NodeStatus.Refusal> recent = new ArrayList<>(last);
        lastByReason.values().stream().filter(r -> !recent.contains(r)).forEach(recent::add);
        recent.sort(Comparator.comparingLong(NodeStatus.Refusal::atMillis));
        return new NodeStatus.SecurityStats(true, group, sessions, scrape.get(HANDSHAKES), scrape.get(REKEYS), scrape.get(COOKIES_SENT),
                all, recent, ciphers);
    }
}
