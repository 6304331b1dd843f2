package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: a lab whose command line runs on a JDK 25 or newer (as {@code RINGSWITCH_JAVA} makes the
 * launcher do) starts its nodes on that JDK with {@code node-jdk25.options}, without the JDK 17
 * class archive, and they carry a ping between the sites with no JVM warning in their logs. Skipped
 * where no such JDK is installed (Debian 12 has only 17): {@code RINGSWITCH_JAVA}, else the newest
 * JDK 25+ under {@code /usr/lib/jvm}.
 */
class NodeOnJdk25LabTest {
    private static final LabSpec SPEC = LabSpec.of("jdk25", 2, 1);
    private static final Duration AWAIT = Duration.ofSeconds(45);

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), NodeOnJdk25LabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertFalse(left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
    }

    @Test
    void aLabOnJdk25RunsItsNodesThereAndTheyPing() throws Exception {
        Optional<Path> java = jdk25();
        assumeTrue(java.isPresent(), "no JDK 25 or newer installed");
        Lab.down(SPEC.name(), NodeOnJdk25LabTest::log);
        List<String> up = new ArrayList<>(List.of(java.get().toString(), "-Dringswitch.home=" + Preflight.home(),
                "-cp", System.getProperty("java.class.path"), "io.ringswitch.topology.cli.RingSwitchCli",
                "lab", "up", "--name", SPEC.name()));
        Shell.Result started = Shell.run(Duration.ofMinutes(3), up);
        assertTrue(started.ok(), started.output());

        String command = Files.readString(Path.of("/proc", String.valueOf(firstNodePid()), "cmdline")).replace('\0', ' ');
        assertTrue(command.startsWith(java.get() + " "), command);
        assertTrue(command.contains("node-jdk25.options"), command);
        assertFalse(command.contains("node.jsa"), "the JDK 17 archive given to JDK 25: " + command);

        Instant deadline = Instant.now().plus(AWAIT);
        boolean replied = false;
        while (!replied && Instant.now().isBefore(deadline)) {
            replied = Shell.run(Duration.ofSeconds(10), Shell.inNetns(SPEC.hostNamespace(1, 1),
                    "ping", "-c", "1", "-W", "1", SPEC.hostIp(2, 1))).ok();
        }
        assertTrue(replied, "no echo reply from site 2's host within " + AWAIT.toSeconds() + " s");
        for (int site = 1; site <= 2; site++) {
            String log = Files.readString(Lab.RUN_ROOT.resolve(SPEC.name()).resolve("s" + site).resolve("node.log"));
            assertEquals(List.of(), log.lines().filter(l -> l.startsWith("WARNING:") || l.contains("[warning]")).toList(),
                    "site " + site + "'s node log");
        }
    }

    /** The pid of the lab's first node, from the lab's state file ({@code nodePids}, in site order). */
    private static long firstNodePid() throws IOException {
        String state = Files.readString(Lab.RUN_ROOT.resolve(SPEC.name()).resolve("state.json"));
        Matcher m = Pattern.compile("\"nodePids\"\\s*:\\s*\\[\\s*(\\d+)").matcher(state);
        assertTrue(m.find(), "no node pid in the lab's state: " + state);
        return Long.parseLong(m.group(1));
    }

    /** {@code RINGSWITCH_JAVA} when set, else the newest JDK 25+ under /usr/lib/jvm by its release file. */
    static Optional<Path> jdk25() throws IOException {
        String chosen = System.getenv("RINGSWITCH_JAVA");
        if (chosen != null && !chosen.isBlank()) {
            Path java = Path.of(chosen);
            return feature(java.toRealPath().getParent().getParent()) >= 25 ? Optional.of(java) : Optional.empty();
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .filter(h -> feature(h) >= 25)
                    .max((a, b) -> Integer.compare(feature(a), feature(b)))
                    .map(h -> h.resolve("bin/java"));
        }
    }

    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private static int feature(Path javaHome) {
        try {
            Matcher m = VERSION.matcher(Files.readString(javaHome.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static void log(String line) {
        System.out.println("[jdk25-lab] " + line);
    }
}
