package io.ringswitch.overlay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.api.NodeConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OperatorServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(OperatorServer s, String method, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.address().getPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static long refused(NodeMetrics m, String reason) {
        return m.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason").labelValues("operator", reason)
                .getLongValue();
    }

    @Test
    void metricsAreServedInTheTextFormatWithTheNodesNames() throws Exception {
        NodeMetrics m = NodeMetrics.inProcess();
        CounterDataPoint frames = m.counter("ringswitch_frames_total", "Frames.", "direction", "path").labelValues("in", "udp");
        frames.inc(3);
        try (OperatorServer s = OperatorServer.start(new InetSocketAddress("127.0.0.1", 0), m)) {
            HttpResponse<String> r = send(s, "GET", "/metrics", null);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
            assertTrue(r.body().contains("ringswitch_frames_total{direction=\"in\",path=\"udp\"} 3"), r.body());
            // A scraper that prefers protobuf still gets text: the protobuf writer's jar is left out.
            HttpResponse<String> proto = send(s, "GET", "/metrics",
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3");
            assertEquals(200, proto.statusCode());
            assertTrue(proto.body().contains("ringswitch_frames_total"), proto.body());
        }
    }

    @Test
    void otherPathsAndMethodsAreRefusedAndCounted() throws Exception {
        NodeMetrics m = NodeMetrics.inProcess();
        try (OperatorServer s = OperatorServer.start(new InetSocketAddress("127.0.0.1", 0), m)) {
            assertEquals(404, send(s, "GET", "/metricsx", null).statusCode());
            assertEquals(404, send(s, "GET", "/", null).statusCode());
            assertEquals(405, send(s, "POST", "/metrics", null).statusCode());
            assertEquals(405, send(s, "DELETE", "/metrics", null).statusCode());
            assertEquals(2, refused(m, "not-found"));
            assertEquals(2, refused(m, "method-not-allowed"));
            assertTrue(send(s, "GET", "/metrics", null).body()
                    .contains("ringswitch_refused_total{layer=\"operator\",reason=\"method-not-allowed\"} 2"));
        }
    }

    @Test
    void installedPagesAreServedOnTheSameServer() throws Exception {
        NodeMetrics m = NodeMetrics.inProcess();
        try (OperatorServer s = OperatorServer.start(new InetSocketAddress("127.0.0.1", 0), m)) {
            s.install("/dashboard", exchange -> {
                byte[] body = "ring".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            });
            HttpResponse<String> r = send(s, "GET", "/dashboard", null);
            assertEquals(200, r.statusCode());
            assertEquals("ring", r.body());
            assertEquals(405, send(s, "PUT", "/dashboard", null).statusCode());
        }
    }

    @Test
    void anEndpointTurnedOffOrWhoseAddressIsTakenLeavesTheNodeRunningWithout() throws Exception {
        NodeMetrics m = NodeMetrics.inProcess();
        assertNull(OperatorServer.startOrWarn(new NodeConfig.Operator("off"), m));
        assertNull(OperatorServer.startOrWarn(new NodeConfig.Operator(null), m));
        try (OperatorServer first = OperatorServer.start(new InetSocketAddress("127.0.0.1", 0), m)) {
            String taken = "127.0.0.1:" + first.address().getPort();
            assertNull(OperatorServer.startOrWarn(new NodeConfig.Operator(taken), NodeMetrics.inProcess()));
        }
    }

    @Test
    void twoNodesInOneJvmKeepSeparateFigures() {
        NodeMetrics a = NodeMetrics.inProcess();
        NodeMetrics b = NodeMetrics.inProcess();
        a.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason").labelValues("ring", "malformed").inc();
        assertEquals(1, a.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason")
                .labelValues("ring", "malformed").getLongValue());
        assertEquals(0, b.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason")
                .labelValues("ring", "malformed").getLongValue());
    }

    @Test
    void onlyAProcessNodeHasJvmMetrics() {
        assertTrue(NodeMetrics.ofProcess().registry().scrape().stream()
                .anyMatch(s -> s.getMetadata().getName().startsWith("jvm_")));
        assertTrue(NodeMetrics.inProcess().registry().scrape().stream()
                .noneMatch(s -> s.getMetadata().getName().startsWith("jvm_")));
    }

    /**
     * The JVM metrics that would stop or slow the data path are left out: deadlock detection (a
     * safepoint per scrape) and the per-collection allocation listener. Thread counts stay.
     */
    @Test
    void aProcessNodeLeavesOutTheJvmMetricsThatStopTheDataPath() {
        java.util.Set<String> names = new java.util.HashSet<>();
        NodeMetrics.ofProcess().registry().scrape().forEach(s -> names.add(s.getMetadata().getName()));
        assertTrue(names.contains("jvm_threads_current"), names.toString());
        assertTrue(names.contains("jvm_memory_used_bytes"), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.contains("deadlocked")), names.toString());
        assertTrue(names.stream().noneMatch(n -> n.startsWith("jvm_memory_pool_allocated")), names.toString());
    }

    @Test
    void theStatusScrapeReadsOnlyTheNodesOwnMetrics() {
        assertTrue(NodeMetrics.isNodeMetric("ringswitch_frames_total"));
        assertTrue(!NodeMetrics.isNodeMetric("jvm_memory_used_bytes"));
        assertTrue(!NodeMetrics.isNodeMetric("process_cpu_seconds_total"));
    }
}
