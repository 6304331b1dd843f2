package io.ringswitch.overlay;

import io.netty.util.concurrent.EventExecutor;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.ringswitch.overlay.metrics.LoopReads;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.node.RingNode;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The ring's gauges, read when the registry is scraped: each link's RTT
 * ({@code ringswitch_link_rtt_seconds{peer,path}}), links by path kind, whether the node is
 * connected, and the DHT records it holds ({@code ringswitch_dht_records}), their keys and what it
 * publishes itself. The ring's state belongs
 * to its event loop, so a scrape from the operator's HTTP thread reads it there (a scrape the status
 * snapshot takes on the loop reads it directly).
 */
final class RingGauges {
    static final String DHT_RECORDS = "ringswitch_dht_records";
    static final String DHT_KEYS = "ringswitch_dht_keys";
    static final String DHT_PUBLISHED = "ringswitch_dht_published";
    private final RingNode ring;
    private final EventExecutor loop;

    private RingGauges(RingNode ring, EventExecutor loop) {
        this.ring = ring;
        this.loop = loop;
    }

    /**
     * Registers the ring's gauges in {@code metrics}. The per-link ones are marked
     * {@link NodeMetrics#notInStatus}: the status file reads the links themselves.
     */
    static RingGauges register(NodeMetrics metrics, RingNode ring, EventExecutor loop) {
        RingGauges g = new RingGauges(ring, loop);
        metrics.gaugeReadAtScrape("ringswitch_link_rtt_seconds", "Round-trip time last measured on each link, by peer and path kind.",
                cb -> {
                    for (LinkView l : g.links()) {
                        if (l.rttMillis() >= 0) {
                            cb.call(l.rttMillis() / 1000.0, l.peer(), l.path());
                        }
                    }
                }, "peer", "path");
        metrics.gaugeReadAtScrape("ringswitch_links", "Links to other nodes, by path kind.", cb -> {
            java.util.Map<String, Integer> byPath = new java.util.TreeMap<>();
            g.links().forEach(l -> byPath.merge(l.path(), 1, Integer::sum));
            byPath.forEach((path, n) -> cb.call(n, path));
        }, "path");
        metrics.gaugeReadAtScrape("ringswitch_ring_connected", "1 when the node has joined the ring.",
                cb -> cb.call(g.onLoop(ring::isConnected, false) ? 1 : 0));
        metrics.gaugeReadAtScrape(DHT_RECORDS, "DHT values this node holds as a holder of their keys.",
                cb -> cb.call(g.onLoop(() -> ring.dht().localSize(), 0)));
        metrics.gaugeReadAtScrape(DHT_KEYS, "DHT keys the values this node holds are under.",
                cb -> cb.call(g.onLoop(() -> ring.dht().localKeys().size(), 0)));
        metrics.gaugeReadAtScrape(DHT_PUBLISHED, "DHT values this node keeps published (put again before they run out).",
                cb -> cb.call(g.onLoop(() -> ring.dht().publications(), 0)));
        g.registerLinkTraffic(metrics, Link::bytesIn, Link::bytesOut, Link::recordsIn, Link::recordsOut);
        for (String perLink : new String[] {"ringswitch_link_rtt_seconds", "ringswitch_links", "ringswitch_link_bytes_total",
                "ringswitch_link_records_total"}) {
            metrics.notInStatus(perLink);
        }
        return g;
    }

    /**
     * Per-link traffic for {@code ringswitch status} and Prometheus alike, once links count their
     * bytes and records ({@code bytesIn, bytesOut, recordsIn, recordsOut} on {@link Link}, the
     * figures {@code ringswitch status} shows): registers {@code ringswitch_link_bytes_total} and
     * {@code ringswitch_link_records_total}, each by {@code peer}, {@code path} and {@code direction}.
     */
    private void registerLinkTraffic(NodeMetrics metrics, ToLongFunction<Link> bytesIn, ToLongFunction<Link> bytesOut,
                             ToLongFunction<Link> recordsIn, ToLongFunction<Link> recordsOut) {
        registerPerLink(metrics, "ringswitch_link_bytes_total", "Bytes carried on each link, by peer, path and direction.",
                bytesIn, bytesOut);
        registerPerLink(metrics, "ringswitch_link_records_total", "Records carried on each link, by peer, path and direction.",
                recordsIn, recordsOut);
    }

    private void registerPerLink(NodeMetrics metrics, String name, String help, ToLongFunction<Link> in,
                                 ToLongFunction<Link> out) {
        metrics.registry().register(CounterWithCallback.builder().name(name).help(help)
                .labelNames("peer", "path", "direction")
                .callback(cb -> onLoop(() -> {
                    for (Link l : ring.links()) {
                        String peer = l.address().toString();
                        cb.call(in.applyAsLong(l), peer, l.path().kind(), "in");
                        cb.call(out.applyAsLong(l), peer, l.path().kind(), "out");
                    }
                    return null;
                }, null)).build());
    }

    /** A link as a scrape reports it, copied on the loop. */
    private record LinkView(String peer, String path, long rttMillis) {
    }

    private List<LinkView> links() {
        return onLoop(() -> ring.links().stream()
                .map(l -> new LinkView(l.address().toString(), l.path().kind(), l.rttMillis())).toList(), List.of());
    }

    private <T> T onLoop(Supplier<T> read, T otherwise) {
        return LoopReads.read(loop, read, otherwise);
    }
}
