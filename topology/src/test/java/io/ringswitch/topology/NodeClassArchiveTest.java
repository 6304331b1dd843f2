package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeClassArchiveTest {
    private static final Instant BUILD = Instant.parse("2026-12-07T12:00:00Z");

    private static Path file(Path dir, String name, Instant modified) throws Exception {
        Path path = Files.writeString(dir.resolve(name), name);
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return path;
    }

    private static String classPath(Path... entries) {
        return String.join(File.pathSeparator, List.of(entries).stream().map(Path::toString).toList());
    }

    @Test
    void anArchiveMadeAfterTheJarsIsMapped(@TempDir Path dir) throws Exception {
        String cp = classPath(file(dir, "a.jar", BUILD), file(dir, "b.jar", BUILD));
        Path archive = file(dir, "node.jsa", BUILD.plusSeconds(30));
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive), NodeClassArchive.options(archive, cp));
    }

    @Test
    void anArchiveOlderThanAJarIsIgnored(@TempDir Path dir) throws Exception {
        Path archive = file(dir, "node.jsa", BUILD.plusSeconds(30));
        String cp = classPath(file(dir, "a.jar", BUILD), file(dir, "b.jar", BUILD.plusSeconds(60)));
        assertTrue(NodeClassArchive.options(archive, cp).isEmpty(), "a jar rebuilt after the archive makes it stale");
    }

    @Test
    void aClassPathWithADirectoryOrAMissingArchiveGetsNone(@TempDir Path dir) throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path jar = file(dir, "a.jar", BUILD);
        Path archive = file(dir, "node.jsa", BUILD.plusSeconds(30));
        assertTrue(NodeClassArchive.options(archive, classPath(classes, jar)).isEmpty(), "Maven's test class path");
        assertTrue(NodeClassArchive.options(dir.resolve("none.jsa"), classPath(jar)).isEmpty());
        assertTrue(NodeClassArchive.options(archive, classPath(dir.resolve("gone.jar"))).isEmpty());
    }

    @Test
    void aWildcardOfJarsCountsAsItsJars(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        file(lib, "a.jar", BUILD);
        Path jar = file(dir, "top.jar", BUILD);
        Path archive = file(dir, "node.jsa", BUILD.plusSeconds(30));
        String cp = jar + File.pathSeparator + lib + File.separator + "*";
        assertEquals(List.of("-XX:SharedArchiveFile=" + archive), NodeClassArchive.options(archive, cp),
                "a baseline checkout's class path, as the launcher dumped its archive with");
        file(lib, "b.jar", BUILD.plusSeconds(60));
        assertTrue(NodeClassArchive.options(archive, cp).isEmpty(), "a jar newer than the archive makes it stale");
        assertTrue(NodeClassArchive.options(archive, jar + File.pathSeparator + dir.resolve("none") + File.separator + "*")
                .isEmpty());
    }
}
