package io.ringswitch.topology;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * Turns the build's class-data-sharing archive (AppCDS) into the JVM options a node starts with,
 * when that archive fits the node's class path. The launcher ({@code ./ringswitch build} and every
 * command that builds) dumps it once per build from {@code overlay-node/jvm/node.classlist}, the
 * classes a node loads, into {@value #ARCHIVE}; a node that maps it neither parses nor verifies
 * those classes again, which cuts its start and the private memory its class metadata takes.
 *
 * <p>The archive is offered only when it is newer than every entry of the class path and the
 * class path holds only jars and directories of jars named by a wildcard ({@code lib/*}) (CDS cannot archive classes from directories, as in Maven's test
 * runs). The JVM checks again: an archive dumped for another class path, or for jars of another
 * size or time, is not mapped and the node starts as without it (JDK 17, {@code -Xshare:auto}).
 */
final class NodeClassArchive {
    /** Where the launcher writes the archive, relative to the RingSwitch home. */
    static final String ARCHIVE = "topology/target/node.jsa";
    /**
     * Where the launcher writes the nodes' AOT cache for JDK 25 and newer (JEP 483/514/515), relative
     * to the RingSwitch home; made from a training run of a lab whose nodes carried traffic.
     */
    static final String AOT_CACHE = "topology/target/node.aot";

    private NodeClassArchive() {
    }

    /** The options that make a node map {@code archive}, or none when it does not fit {@code classPath}. */
    static List<String> options(Path archive, String classPath) {
        return usable(archive, classPath) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of();
    }

    /**
     * The options that make a node on JDK 25+ use the AOT cache {@code cache}, or none when it does
     * not fit {@code classPath}. The JVM checks the jars again and runs without a cache that does not
     * fit them ({@code -XX:AOTMode=auto}, the default).
     */
    static List<String> aotOptions(Path cache, String classPath) {
        return usable(cache, classPath) ? List.of("-XX:AOTCache=" + cache) : List.of();
    }

    /** Whether {@code archive} exists and is newer than every jar of {@code classPath}, which holds only jars. */
    static boolean usable(Path archive, String classPath) {
        if (!Files.isRegularFile(archive) || classPath == null || classPath.isBlank()) {
            return false;
        }
        try {
            FileTime made = Files.getLastModifiedTime(archive);
            for (String entry : classPath.split(File.pathSeparator)) {
                if (entry.endsWith(File.separator + "*")) {
                    if (!jarsOlder(Path.of(entry.substring(0, entry.length() - 2)), made)) {
                        return false;
                    }
                    continue;
                }
                Path jar = Path.of(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)
                        || Files.getLastModifiedTime(jar).compareTo(made) > 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the directory of a class-path wildcard ({@code lib/*}, as a baseline checkout's
     * nodes get it, and as the launcher dumped its archive with) holds only jars older than
     * {@code made}. The JVM expands the wildcard in the same order at dump and at run time.
     */
    private static boolean jarsOlder(Path dir, FileTime made) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            for (Path jar : (Iterable<Path>) entries.filter(p -> p.toString().endsWith(".jar"))::iterator) {
                if (Files.getLastModifiedTime(jar).compareTo(made) > 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
