package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.logging.LogFormat;
import io.ringswitch.overlay.logging.LogSetup;
import io.ringswitch.overlay.ring.PeerPath;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A refused link is logged as one JSON line whose peer, path and reason a log collector can select on. */
class RefusalLogTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void backToText() {
        LogSetup.install(context, LogFormat.TEXT, Level.WARN, null);
    }

    private List<String> refuseOnce(LogFormat format) {
        LogSetup.install(context, format, Level.INFO, out);
        new SecurityCounters().refuse(new PeerPath.Udp(new InetSocketAddress("10.0.0.5", 5800)), "mallory",
                "certificate", "not signed by the group CA", 1_000L);
        return out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("refused a link")).toList();
    }

    @Test
    void aRefusalIsOneJsonLineWithPeerPathAndReason() throws Exception {
        List<String> lines = refuseOnce(LogFormat.JSON);
        assertEquals(1, lines.size(), out.toString(StandardCharsets.UTF_8));
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals("WARN", line.get("level").asText());
        assertEquals(SecurityCounters.class.getName(), line.get("logger").asText());
        Instant.parse(line.get("time").asText());
        assertEquals("mallory", line.get("peer").asText());
        assertEquals("/10.0.0.5:5800", line.get("path").asText());
        assertEquals("certificate", line.get("reason").asText());
        assertEquals("not signed by the group CA", line.get("detail").asText());
        assertEquals(1, line.get("count").asLong());
        assertTrue(line.get("message").asText().startsWith("refused a link from udp:10.0.0.5:5800 (mallory): certificate"),
                line.get("message").asText());
    }

    @Test
    void asTextTheLineReadsAsBefore() {
        List<String> lines = refuseOnce(LogFormat.TEXT);
        assertEquals(1, lines.size(), out.toString(StandardCharsets.UTF_8));
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[[^]]+] WARN "
                + SecurityCounters.class.getName().replace(".", "\\.")
                + " - refused a link from udp:10\\.0\\.0\\.5:5800 \\(mallory\\): certificate: not signed by the group CA \\(1 so far\\)"),
                lines.get(0));
    }
}
