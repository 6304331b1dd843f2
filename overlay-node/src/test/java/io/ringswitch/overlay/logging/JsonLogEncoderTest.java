package io.ringswitch.overlay.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Every event is one line of JSON, whatever its message holds; fields never overwrite the fixed ones. */
class JsonLogEncoderTest {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void backToText() {
        LogSetup.install(context, LogFormat.TEXT, Level.WARN, null);
    }

    @Test
    void quotesNewlinesMdcAndErrorsStayOnOneParseableLine() throws Exception {
        LogSetup.install(context, LogFormat.JSON, Level.INFO, out);
        MDC.put("site", "site1");
        try {
            LoggerFactory.getLogger("test").atWarn().addKeyValue("message", "spoofed").addKeyValue("peer", "a\"b")
                    .setCause(new IllegalStateException("boom")).log("line one\nline \"two\"");
        } finally {
            MDC.remove("site");
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), out.toString(StandardCharsets.UTF_8));
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals("line one\nline \"two\"", line.get("message").asText());
        assertEquals("spoofed", line.get("kv.message").asText(), "a key-value pair does not overwrite the message");
        assertEquals("a\"b", line.get("peer").asText());
        assertEquals("site1", line.get("site").asText());
        assertTrue(line.get("error").asText().contains("IllegalStateException: boom"));
    }

    @Test
    void formatsAreReadInAnyCaseAndOthersRefused() {
        assertEquals(LogFormat.JSON, LogFormat.of("JSON"));
        assertEquals(LogFormat.TEXT, LogFormat.of("text"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LogFormat.of("xml"))
                .getMessage().contains("text or json"));
    }
}
