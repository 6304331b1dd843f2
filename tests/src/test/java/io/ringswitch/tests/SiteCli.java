package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.topology.Lab;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringswitch ARGS --socket S} run in a lab site's namespace, as an operator on that host
 * runs it, through the site node's control socket; its output as text or read as JSON.
 */
final class SiteCli {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private SiteCli() {
    }

    /** The command's output read as {@code type}, or as text when {@code type} is null; asserts it exited 0. */
    static <T> T run(Lab lab, int site, Class<T> type, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", lab.spec().siteNamespace(site),
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "io.ringswitch.topology.cli.RingSwitchCli"));
        command.addAll(List.of(args));
        command.addAll(List.of("--socket", lab.controlSocket(site).toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ringswitch " + String.join(" ", args) + " ended");
            String text = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "ringswitch " + String.join(" ", args) + " at site " + site + ": " + text);
            if (type == null) {
                @SuppressWarnings("unchecked")
                T asText = (T) text;
                return asText;
            }
            return JSON.readValue(text, type);
        } finally {
            p.destroyForcibly();
        }
    }
}
