package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.logging.LogFormat;
import io.ringswitch.overlay.logging.LogSetup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** {@code ringswitch node --log-format json} turns the process's log into JSON lines on standard error. */
class NodeCommandLogTest {
    @TempDir
    Path dir;

    @Test
    void aRefusedConfigIsLoggedAsJsonLines() throws Exception {
        Path file = Files.writeString(dir.resolve("node.yaml"), "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "nat: {keepaliveSeconds: 0}\n");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = new CommandLine(new NodeCommand()).execute("--log-format", "json", "--config", file.toString());
        } finally {
            System.setErr(before);
            LogSetup.install(context, LogFormat.TEXT, Level.WARN, null);
        }
        assertEquals(2, exit);
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), err.toString(StandardCharsets.UTF_8));
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertEquals("ERROR", first.get("level").asText());
        assertTrue(first.get("message").asText().contains("nat.keepaliveSeconds: 1 to 300 seconds (got 0)"), lines.get(0));
        assertTrue(json.readTree(lines.get(1)).get("message").asText().startsWith("check it with: ringswitch config check"));
    }

    @Test
    void anUnknownFormatIsRefusedOnTheCommandLine() {
        int exit = new CommandLine(new NodeCommand()).setErr(new java.io.PrintWriter(new java.io.StringWriter()))
                .execute("--log-format", "xml", "--config", dir.resolve("node.yaml").toString());
        assertEquals(2, exit, "picocli's usage error");
    }
}
