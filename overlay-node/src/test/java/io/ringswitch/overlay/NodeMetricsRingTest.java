package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.forwarding.FrameForwarder;
import io.ringswitch.overlay.forwarding.RingMulticast;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.FakeRingNetwork;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.secure.SessionSettings;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.underlay.DatagramDecoder;
import io.ringswitch.overlay.underlay.TcpLinks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
        net.transmit(link.path(), FakeRingNetwork.path(victim), new RingMessage.Routed(
                link.address(), victim.address(), RoutingMode.EXACT, 250, 0, false, 1, PayloadTypes.PROBE, new byte[0]));
        net.run(100);
        assertTrue(text(victim).contains("ringswitch_refused_total{layer=\"ring\",reason=\"hop-limit-abuse\"} 1"),
                text(victim));
    }

    private static NodeIdentity identity() throws Exception {
        Instant now = Instant.now();
        GroupCa ca = GroupCa.create("metrics",
                now.minusSeconds(60), Duration.ofDays(1));
        KeyPair key = GroupCa.newKeyPair();
        return new NodeIdentity(key.getPrivate(),
                NodeCertificate.verify(ca.issue("site1", key.getPublic(),
                        Optional.empty(), now.minusSeconds(30), Duration.ofDays(1)), ca.certificate(), now),
                ca.certificate());
    }

    @Test
    void everyPartCountsInOneRegistryWithoutClashingNames() throws Exception {
        FakeRingNetwork net = FakeRingNetwork.formed(4, 11, RingConfig.defaults());
        RingNode node = net.nodes.get(0);
        NodeMetrics m = node.metrics();
        new TcpLinks(false, 60, m);
        new DatagramDecoder(true, m);
        FrameForwarder forwarder = new FrameForwarder(
                frame -> true, UnpooledByteBufAllocator.DEFAULT, () -> 0L, 1380, m);
        new RingMulticast(UnpooledByteBufAllocator.DEFAULT, () -> 0L,
                node.address(), null, () -> null, m);
        new SecureLinkHandler(identity(),
                SessionSettings.of(null), new SecureRandom(), m);
        RingGauges.register(m, node, ImmediateEventExecutor.INSTANCE);
        forwarder.fromPort(Unpooled.directBuffer(8).writeZero(8));
        String text = text(node);
        assertTrue(text.contains("ringswitch_refused_total{layer=\"frames\",reason=\"runt\"} 1"), text);
        assertTrue(text.contains("ringswitch_frames_total{direction=\"in\",path=\"tcp\"} 0"), text);
        assertTrue(text.contains("ringswitch_frames_total{direction=\"out\",path=\"direct\"} 0"), text);
        assertTrue(text.contains("ringswitch_ring_messages_total{event=\"sent\"}"), text);
        assertTrue(text.contains("ringswitch_secure_events_total{event=\"handshake\"} 0"), text);
        assertTrue(text.contains("ringswitch_relay_forwarded_bytes_total 0"), text);
        assertTrue(text.contains("ringswitch_dht_records "), text);
    }

    @Test
    void theDhtRecordsSectionReadsTheRecordRefusalsOfTheRegistry() {
        NodeMetrics metrics = NodeMetrics.inProcess();
        DhtCounters dht = new DhtCounters(metrics);
        dht.recordBadSignature.inc();
        dht.releaseRefused.inc(2);
        NodeStatus.DhtRecordStats status = StatusParts.dhtRecordStats(MetricsSnapshot.of(metrics), true);
        assertEquals(1L, status.refused().get("bad-signature"));
        assertEquals(2L, status.refused().get("release-by-non-holder"));
        assertEquals(0L, status.refused().get("not-owner"));
    }

    @Test
    void linkRttAndDhtRecordsAreReadAtScrapeTime() throws Exception {
        FakeRingNetwork net = FakeRingNetwork.formed(10, 9, RingConfig.defaults());
        net.run(60_000);
        RingNode node = net.nodes.get(3);
        node.dht().publish(io.ringswitch.overlay.ring.dht.DhtKey.of("metrics:published"), new byte[] {1}, 60_000);
        net.run(5_000);
        RingGauges.register(node.metrics(), node, ImmediateEventExecutor.INSTANCE);
        MetricsSnapshot scrape = MetricsSnapshot.ofAll(node.metrics());
        MetricsSnapshot status = MetricsSnapshot.of(node.metrics());
        assertEquals(StatusParts.dhtHoldings(node.dht()), StatusParts.dhtHoldings(status), "the DHT's holdings as the registry has them");
        assertEquals(1, StatusParts.dhtHoldings(status).published());
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
        Link first = measured.get(0);
        assertEquals(0, MetricsSnapshot.of(node.metrics()).gauge("ringswitch_link_rtt_seconds", List.of("peer", "path"),
                List.of(first.address().toString(), first.path().kind())), "the status reads links, not their gauges");
    }
}
