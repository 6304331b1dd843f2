package io.ringswitch.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.group.GroupServer;
import io.ringswitch.overlay.security.GroupCa;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ringswitch enrol} says in one line why it did not enrol, writes nothing then, and exits 1. */
class EnrolCommandTest {
    @TempDir
    Path dir;

    private String run(int expected, String... args) {
        PrintStream was = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expected, new CommandLine(new RingSwitchCli()).execute(args));
        } finally {
            System.setErr(was);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anUnknownOrMalformedTokenIsRefusedWithAReason() throws Exception {
        GroupCa.create("clitest", Instant.now(), Duration.ofDays(1)).save(dir.resolve("ca"));
        try (GroupServer server = GroupServer.start(new GroupServer.Settings(dir.resolve("server"),
                new InetSocketAddress("127.0.0.1", 0), dir.resolve("ca"), List.of(), Duration.ofDays(3)),
                "a password of some length", Clock.systemUTC())) {
            String unknown = run(1, "enrol", "--server", server.url(), "--token", "nosuchsecret." + server.tlsSha256(),
                    "--out", dir.resolve("out").toString());
            assertTrue(unknown.contains("no such enrolment token"), unknown);
            assertFalse(Files.exists(dir.resolve("out/node.key")), "no key is kept for a refused enrolment");
            String malformed = run(1, "enrol", "--server", server.url(), "--token", "justasecret",
                    "--out", dir.resolve("out2").toString());
            assertTrue(malformed.contains("SECRET.SHA256"), malformed);
        }
    }
}
