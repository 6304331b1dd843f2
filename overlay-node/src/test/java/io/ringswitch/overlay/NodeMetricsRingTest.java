package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A small ring's events move its nodes' registries, each its own, and the status reads them there. */
class NodeMetricsRingTest {
    private static String text(RingNode node) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, node.metrics().registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRoutedMessageMovesTheDeliverersFiguresAndNoOtherNodes() {
        FakeRingNetwork net = FakeRingNetwork.formed(12, 3, RingConfig.defaults());
        RingNode src = net.nodes.get(0);
        RingNode dst = net.nodes.get(7);
        long deliveredAtDst = MetricsSnapshot.of(dst.metrics()).get(RingCounters.DELIVERED);
        long deliveredAtSrc = MetricsSnapshot.of(src.metrics()).get(RingCounters.DELIVERED);
        long originated = MetricsSnapshot.of(src.metrics()).get(RingCounters.ORIGINATED);
        src.send(dst.address(), RoutingMode.EXACT, PayloadTypes.PROBE, new byte[0], false);
        net.run(1000);
        MetricsSnapshot atDst = MetricsSnapshot.of(dst.metrics());
        assertEquals(deliveredAtDst + 1, atDst.get(RingCounters.DELIVERED));
        assertEquals(deliveredAtSrc, MetricsSnapshot.of(src.metrics()).get(RingCounters.DELIVERED),
                "nodes in one JVM keep separate figures");
        assertEquals(originated + 1, MetricsSnapshot.of(src.metrics()).get(RingCounters.ORIGINATED));
        NodeStatus.RingStats status = StatusParts.ringStats(atDst);
        assertEquals(dst.counters().delivered(), status.delivered(), "the status reads the registry");
        assertEquals(dst.counters().linksUp(), status.linksUp());
    }

    @Test
    void aRefusedMessageShowsUnderTheRingLayerInTheExposition() throws Exception {
        FakeRingNetwork net = FakeRingNetwork.formed(8, 5, RingConfig.defaults());
        RingNode victim = net.nodes.get(2);
        Link link = victim.links().get(0);
        net.transmit(link.path(), FakeRingNetwork.path(victim), new io.ringswitch.overlay.ring.message.RingMessage.Routed(
                link.address(), victim.address(), RoutingMode.EXACT, 250, 0, false, 1, PayloadTypes.PROBE, new byte[0]));
        net.run(100);
        assertTrue(text(victim).contains("ringswitch_refused_total{layer=\"ring\",reason=\"hop-limit-abuse\"} 1"),
                text(victim));
    }

    @Test
    void linkRttAndDhtRecordsAreReadAtScrapeTime() throws Exception {
        FakeRingNetwork net = FakeRingNetwork.formed(10, 9, RingConfig.defaults());
        net.run(60_000);
        RingNode node = net.nodes.get(3);
        RingGauges.register(node.metrics(), node, ImmediateEventExecutor.INSTANCE);
        MetricsSnapshot scrape = MetricsSnapshot.of(node.metrics());
        List<Link> measured = node.links().stream().filter(l -> l.rttMillis() >= 0).toList();
        assertTrue(!measured.isEmpty(), "liveness measured some RTT");
        for (Link l : measured) {
            assertEquals(l.rttMillis() / 1000.0, scrape.gauge("ringswitch_link_rtt_seconds", List.of("peer", "path"),
                    List.of(l.address().toString(), l.path().kind())), 1e-9);
        }
        assertEquals(node.dht().localSize(), scrape.gauge("ringswitch_dht_records", List.of(), List.of()), 1e-9);
        String peer = "peer=\"" + measured.get(0).address() + "\"";
        assertTrue(text(node).lines().anyMatch(l -> l.startsWith("ringswitch_link_rtt_seconds{") && l.contains(peer)),
                text(node));
        RingAddress unknown = RingAddress.ofName("nobody");
        assertEquals(0, scrape.gauge("ringswitch_link_rtt_seconds", List.of("peer", "path"), List.of(unknown.toString(), "udp")));
    }
}
