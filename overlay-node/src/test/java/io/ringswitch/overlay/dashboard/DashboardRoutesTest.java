package io.ringswitch.overlay.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's routes on a real JDK HTTP server on loopback: what it serves, and what it refuses. */
class DashboardRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final HttpClient client = HttpClient.newHttpClient();
    private DashboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static NodeStatus status(long writtenAt) {
        return new NodeStatus("site1", 42, writtenAt, "ab".repeat(20), true, List.of("cd".repeat(20)), List.of("ef".repeat(20)),
                List.of(new NodeStatus.LinkStatus("cd".repeat(20), "udp:192.0.2.2:5800", "udp", List.of("near"), 3),
                        new NodeStatus.LinkStatus("ef".repeat(20), "relay:cdcdcdcd>efefefef", "relay", List.of("near"), 9)),
                0, new NodeStatus.FrameStats(5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new NodeStatus.RingStats(7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                Map.of("malformed", 2L), new NodeStatus.DataPathStats("nio", false, false, 0, 0, 0, 0),
                new ControllerStatus(List.of("1"), 3, 0, 0, 0, 0, 0, 0, 1), NodeStatus.SecurityStats.plaintext(),
                null, NodeStatus.NatStats.unknown());
    }

    private String start(Supplier<?> status) throws IOException {
        server = DashboardServer.start(new InetSocketAddress("127.0.0.1", 0), status);
        return server.url();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageItsScriptAndTheStatusAsTheNodeWroteIt() throws Exception {
        AtomicLong clock = new AtomicLong(1000);
        String url = start(() -> status(clock.get()));
        HttpResponse<String> page = get(url);
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("dashboard.js") && page.body().contains("id=\"ring\""), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("connect-src 'self'"),
                "the page may fetch from its own server only");
        HttpResponse<String> script = get(url + "dashboard.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("status.json"));
        assertEquals(200, get(url + "dashboard.css").statusCode());
        assertEquals(200, get(url + "favicon.svg").statusCode(), "the page's icon is served (a browser asks for one)");

        NodeStatus read = JSON.readValue(get(url + "status.json").body(), NodeStatus.class);
        assertEquals(status(1000), read, "status.json is the node's status, every field");
        clock.set(2000);
        assertEquals(2000, JSON.readValue(get(url + "status.json").body(), NodeStatus.class).writtenAtMillis(),
                "every poll takes the status anew");
        assertTrue(server.refusals().snapshot().isEmpty());
    }

    @Test
    void unknownPathsAndOtherMethodsAreRefusedAndCounted() throws Exception {
        String url = start(() -> status(1));
        assertEquals(404, get(url + "etc/passwd").statusCode());
        assertEquals(404, get(url + "status.json/../x").statusCode());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(url + "status.json"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(URI.create(url)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, delete.statusCode());
        assertEquals(Map.of("not-found", 2L, "method", 2L), server.refusals().snapshot());
    }

    @Test
    void aRebindingPageThatNamesTheServerByAnotherNameReadsNothing() throws Exception {
        start(() -> status(1));
        int port = server.http().getAddress().getPort();
        // A page on attacker.example whose name now resolves to 127.0.0.1: the browser sends its own name as Host.
        String refused = raw(port, "attacker.example:" + port);
        assertTrue(refused.startsWith("HTTP/1.1 403"), refused);
        assertFalse(refused.contains("site1"), "no status in the answer: " + refused);
        assertEquals(Map.of("host", 1L), server.refusals().snapshot());
        // The same request with the address as its Host is the operator's own browser, and is answered.
        String answered = raw(port, "127.0.0.1:" + port);
        assertTrue(answered.startsWith("HTTP/1.1 200") && answered.contains("site1"), answered);
        assertTrue(raw(port, "localhost:" + port).startsWith("HTTP/1.1 200"));
    }

    @Test
    void aStatusThatCannotBeTakenIsA503AndCounted() throws Exception {
        String url = start(() -> {
            throw new IllegalStateException("node did not answer for its status");
        });
        assertEquals(503, get(url + "status.json").statusCode());
        assertEquals(200, get(url).statusCode(), "the page still loads and says it cannot read the status");
        assertEquals(Map.of("status-unavailable", 1L), server.refusals().snapshot());
    }

    @Test
    void hostHeadersOfAddressesAndLocalhostPassOthersDoNot() {
        for (String ok : new String[] {"127.0.0.1:9464", "127.0.0.1", "localhost:9464", "LOCALHOST", "[::1]:9464", "[::1]", null}) {
            assertTrue(DashboardRoutes.allowedHost(ok), ok);
        }
        for (String bad : new String[] {"attacker.example", "attacker.example:9464", "127.0.0.1.attacker.example",
                "localhost.attacker.example:9464", "[::1].attacker.example", "", "1.2.3.4.5"}) {
            assertFalse(DashboardRoutes.allowedHost(bad), bad);
        }
    }

    /** One HTTP/1.1 GET of status.json with {@code host} as its Host header, as a browser sends it. */
    private static String raw(int port, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /status.json HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
