package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's command line on JDK 17 and on JDK 25 (issue 21): the options file and class archive of
 * each version, never the other's. A JDK 25 node given the JDK 17 archive refuses it and then maps
 * no archive at all, not even the JDK's own, and Netty 4.2 runs without {@code Unsafe} there unless
 * the JDK 25 options allow it.
 */
class NodeJvmTest {
    private static final Instant BUILD = Instant.parse("2026-12-07T12:00:00Z");

    /** A RingSwitch home as {@code ./ringswitch build} leaves it: jars, then the archive and the AOT cache. */
    private static Path home(Path dir) throws Exception {
        touch(dir.resolve("overlay-node/jvm/node.options"), BUILD);
        touch(dir.resolve(NodeJvm.AOT_OPTIONS), BUILD);
        touch(dir.resolve("topology/target/topology-0.1.0-SNAPSHOT.jar"), BUILD);
        touch(dir.resolve("topology/target/lib/netty.jar"), BUILD);
        touch(dir.resolve(NodeClassArchive.ARCHIVE), BUILD.plusSeconds(30));
        touch(dir.resolve(NodeClassArchive.AOT_CACHE), BUILD.plusSeconds(60));
        return dir;
    }

    private static void touch(Path file, Instant modified) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, file.getFileName().toString());
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    private static List<String> command(Path home, int feature, String extra) {
        return NodeProcesses.javaCommand(home, false, null, new NodeJvm(Path.of("/opt/jdk"), feature), extra);
    }

    @Test
    void onJdk17ANodeMapsTheAppCdsArchiveAndNoJdk25Options(@TempDir Path dir) throws Exception {
        Path home = home(dir);
        List<String> command = command(home, 17, null);
        assertEquals("/opt/jdk/bin/java", command.get(0));
        assertEquals("@" + home.resolve("overlay-node/jvm/node.options"), command.get(1));
        assertTrue(command.contains("-XX:SharedArchiveFile=" + home.resolve(NodeClassArchive.ARCHIVE)), command.toString());
        assertFalse(command.stream().anyMatch(o -> o.startsWith("-XX:AOT") || o.contains("node-jdk25")), command.toString());
    }

    @Test
    void onJdk25ANodeTakesItsOptionsFileAndTheAotCacheNotTheJdk17Archive(@TempDir Path dir) throws Exception {
        Path home = home(dir);
        List<String> command = command(home, 25, null);
        assertTrue(command.contains("@" + home.resolve(NodeJvm.AOT_OPTIONS)), command.toString());
        assertTrue(command.contains("-XX:AOTCache=" + home.resolve(NodeClassArchive.AOT_CACHE)), command.toString());
        assertFalse(command.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile")), command.toString());
    }

    @Test
    void onJdk25WithoutAFreshAotCacheANodeMapsOnlyTheJdksOwnArchive(@TempDir Path dir) throws Exception {
        Path home = home(dir);
        touch(home.resolve("topology/target/lib/netty.jar"), BUILD.plusSeconds(120));
        List<String> command = command(home, 25, null);
        assertFalse(command.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-XX:AOTCache")),
                "a jar rebuilt after the cache: " + command);
        Files.delete(home.resolve(NodeJvm.AOT_OPTIONS));
        assertFalse(command(home, 25, null).stream().anyMatch(o -> o.contains("node-jdk25")),
                "a baseline checkout without the JDK 25 options file");
    }

    @Test
    void extraOptionsComeAfterTheFilesAndAnAotModeOfTheirOwnLeavesTheBuildsCacheOut(@TempDir Path dir) throws Exception {
        Path home = home(dir);
        List<String> command = command(home, 25, " -XX:AOTMode=record  -XX:AOTConfiguration=/tmp/t.aotconf ");
        int record = command.indexOf("-XX:AOTMode=record");
        assertTrue(record > command.indexOf("@" + home.resolve(NodeJvm.AOT_OPTIONS)), command.toString());
        assertEquals("-XX:AOTConfiguration=/tmp/t.aotconf", command.get(record + 1));
        assertFalse(command.stream().anyMatch(o -> o.startsWith("-XX:AOTCache")), command.toString());
        assertTrue(command(home, 17, "-XX:+UseCompactObjectHeaders")
                        .contains("-XX:SharedArchiveFile=" + home.resolve(NodeClassArchive.ARCHIVE)),
                "options that choose no archive keep the build's");
        assertEquals(List.of(), NodeJvm.split("   "));
    }
}
