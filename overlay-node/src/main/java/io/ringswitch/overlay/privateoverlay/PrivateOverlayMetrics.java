package io.ringswitch.overlay.privateoverlay;

import io.netty.util.concurrent.EventExecutor;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.LoopReads;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.dht.DhtCounters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A private overlay in the node's registry, and the status's private overlay section turned from a
 * scrape of it (issue 20). Publications and reads are counted by {@link PublicDiscovery}; the
 * group's records refused are counted in a registry of their own, shown here as
 * {@code ringswitch_private_overlay_refused_total}; the public ring node's own figures come as
 * {@code ringswitch_public_...}. What is no count is read from the discovery on the event loop at
 * scrape time, as info-style gauges (value 1) whose labels carry it: the key and the public address,
 * the public ring's neighbours, the endpoints published, the members found (by address, with their
 * endpoints) and the private ring's bootstrap endpoints; lists keep their order in a {@code rank} label.
 */
public final class PrivateOverlayMetrics {
    private static final String PREFIX = "ringswitch_private_overlay_";
    private static final String PUBLICATIONS = PREFIX + "publications_total";
    private static final String PUBLICATIONS_HELP = "This member's records published on the public ring, by outcome.";
    static final CounterKey PUBLISHED = CounterKey.of(PUBLICATIONS, PUBLICATIONS_HELP, "outcome", "published");
    /** Publications that failed: no answer, or the key full (eight members publish). */
    static final CounterKey PUBLISH_FAILED = CounterKey.of(PUBLICATIONS, PUBLICATIONS_HELP, "outcome", "failed");
    /** Publications not tried: this member's record is too large for the public record around it (long names). */
    static final CounterKey TOO_LARGE = CounterKey.of(PUBLICATIONS, PUBLICATIONS_HELP, "outcome", "too_large");
    static final CounterKey READS = new CounterKey(PREFIX + "reads_total", "Reads of the group's records answered.",
            List.of(), List.of());
    static final String INFO = PREFIX + "info";
    static final String PUBLIC_JOINED = PREFIX + "public_joined";
    static final String PUBLIC_LINKS = PREFIX + "public_links";
    static final String NEIGHBOURS = PREFIX + "public_neighbour_info";
    static final String PUBLISHED_ENDPOINTS = PREFIX + "published_endpoint_info";
    static final String MEMBERS = PREFIX + "member_info";
    static final String BOOTSTRAPS = PREFIX + "bootstrap_info";
    /** The group records' refusals, as the node's registry shows them. */
    private static final String REFUSED = PREFIX + "refused_total";

    private PrivateOverlayMetrics() {
    }

    /**
     * Registers in {@code metrics} (the private ring node's) what {@code discovery} knows, read on
     * {@code loop}, the group records' registry {@code records} and the public ring node's {@code publicRing}.
     */
    static void register(NodeMetrics metrics, PublicDiscovery discovery, EventExecutor loop, NodeMetrics records,
                         NodeMetrics publicRing) {
        metrics.include(records, "ringswitch_", PREFIX);
        metrics.include(publicRing, "ringswitch_", "ringswitch_public_");
        gauge(metrics, loop, discovery, INFO, "The key the group meets under on the public ring, and this member's address there.",
                (v, cb) -> cb.call(1, v.key(), v.publicAddress()), "key", "public_address");
        gauge(metrics, loop, discovery, PUBLIC_JOINED, "1 when this member has joined the public ring.",
                (v, cb) -> cb.call(v.publicJoined() ? 1 : 0));
        gauge(metrics, loop, discovery, PUBLIC_LINKS, "This member's links on the public ring.",
                (v, cb) -> cb.call(v.publicLinks()));
        gauge(metrics, loop, discovery, NEIGHBOURS, "This member's nearest neighbours on the public ring, by side and rank.",
                (v, cb) -> {
                    ranked(v.publicLeft(), (rank, a) -> cb.call(1, "left", rank, a));
                    ranked(v.publicRight(), (rank, a) -> cb.call(1, "right", rank, a));
                }, "side", "rank", "address");
        gauge(metrics, loop, discovery, PUBLISHED_ENDPOINTS, "The private ring endpoints this member's record carries.",
                (v, cb) -> ranked(v.published(), (rank, e) -> cb.call(1, rank, e)), "rank", "endpoint");
        gauge(metrics, loop, discovery, MEMBERS, "The members the last read found, each verified against the group's CA.",
                (v, cb) -> v.members().forEach((address, endpoints) -> cb.call(1, address, endpoints)), "address", "endpoints");
        gauge(metrics, loop, discovery, BOOTSTRAPS, "The endpoints the private ring joins through: the config's and those found.",
                (v, cb) -> ranked(v.bootstraps(), (rank, e) -> cb.call(1, rank, e)), "rank", "endpoint");
    }

    /** The section from {@code scrape}; null for a node of no private overlay. */
    public static NodeStatus.PrivateOverlayStatus status(MetricsSnapshot scrape) {
        List<MetricsSnapshot.Point> info = scrape.points(INFO);
        if (info.isEmpty()) {
            return null;
        }
        List<String> members = new ArrayList<>();
        scrape.points(MEMBERS).stream().sorted(Comparator.comparing(p -> p.label("address", "")))
                .forEach(p -> members.add(p.label("address", "") + " " + p.label("endpoints", "[]")));
        return new NodeStatus.PrivateOverlayStatus(info.get(0).label("key", ""), info.get(0).label("public_address", ""),
                scrape.gauge(PUBLIC_JOINED, 0) == 1, (int) scrape.gauge(PUBLIC_LINKS, 0),
                ranked(scrape, NEIGHBOURS, "left", "address"), ranked(scrape, NEIGHBOURS, "right", "address"),
                ranked(scrape, PUBLISHED_ENDPOINTS, null, "endpoint"), scrape.get(PUBLISHED),
                scrape.get(PUBLISH_FAILED) + scrape.get(TOO_LARGE), scrape.get(READS), members,
                ranked(scrape, BOOTSTRAPS, null, "endpoint"), refused(scrape));
    }

    /** The group's records refused, by reason, every reason shown (as {@link GroupRecords#refused} names them). */
    private static Map<String, Long> refused(MetricsSnapshot scrape) {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("not-a-member", scrape.get(renamed(DhtCounters.RECORD_NOT_MEMBER)));
        out.put("bad-signature", scrape.get(renamed(DhtCounters.RECORD_BAD_SIGNATURE)));
        out.put("expired", scrape.get(renamed(DhtCounters.RECORD_EXPIRED)));
        out.put("future-timestamp", scrape.get(renamed(DhtCounters.RECORD_FUTURE_TIMESTAMP)));
        out.put("unsigned", scrape.get(renamed(DhtCounters.RECORD_UNSIGNED)));
        out.put("malformed", scrape.get(renamed(DhtCounters.RECORD_MALFORMED)) + scrape.get(renamed(DhtCounters.MALFORMED)));
        return out;
    }

    private static CounterKey renamed(CounterKey k) {
        return new CounterKey(REFUSED, k.help(), k.labelNames(), k.labelValues());
    }

    private static List<String> ranked(MetricsSnapshot scrape, String name, String side, String label) {
        return scrape.points(name).stream().filter(p -> side == null || side.equals(p.label("side", null)))
                .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.label("rank", "0"))))
                .map(p -> p.label(label, "")).toList();
    }

    private static void ranked(List<String> values, BiConsumer<String, String> each) {
        for (int i = 0; i < values.size(); i++) {
            each.accept(Integer.toString(i), values.get(i));
        }
    }

    private interface Emit {
        void emit(PublicDiscovery.View view, GaugeWithCallback.Callback cb);
    }

    private static void gauge(NodeMetrics metrics, EventExecutor loop, PublicDiscovery discovery, String name, String help,
                              Emit emit, String... labels) {
        metrics.gaugeReadAtScrape(name, help, cb -> {
            PublicDiscovery.View v = LoopReads.read(loop, discovery::view, null);
            if (v != null) {
                emit.emit(v, cb);
            }
        }, labels);
    }
}
