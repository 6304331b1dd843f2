package io.ringswitch.topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The JDK a node runs on, turned into the parts of its command line that depend on the JDK's
 * version: the options file of that version and the class archive it can map. Nodes run on the
 * JDK of the process that starts them, which the launcher chose (issue 21): on JDK 17, the AppCDS
 * archive {@value NodeClassArchive#ARCHIVE}; on JDK {@value #AOT_FEATURE} or newer, the options of
 * {@value #AOT_OPTIONS} (what JDK 24+ needs to let Netty and JNA use {@code sun.misc.Unsafe} and
 * native access without warnings) and the AOT cache {@value NodeClassArchive#AOT_CACHE} (JEP 483,
 * 514 and 515: classes loaded and linked and method profiles from a training run), each only while
 * it fits the jars.
 *
 * @param javaHome the JDK's home ({@code java.home})
 * @param feature  its feature release ({@code Runtime.version().feature()})
 */
record NodeJvm(Path javaHome, int feature) {
    /** The first feature release whose AOT cache a node uses. */
    static final int AOT_FEATURE = 25;
    /** The options file, relative to the RingSwitch home, that nodes on JDK {@value #AOT_FEATURE}+ add. */
    static final String AOT_OPTIONS = "overlay-node/jvm/node-jdk25.options";
    /**
     * The environment variable whose JVM options (separated by white space) every node started by
     * the lab gets after the files' options: the launcher's training run for the AOT cache
     * ({@code -XX:AOTMode=record}) and experiments. When they name a class archive or AOT mode
     * themselves, the build's archive is left out.
     */
    static final String OPTIONS_VARIABLE = "RINGSWITCH_NODE_JAVA_OPTIONS";

    /** The JDK this process runs on. */
    static NodeJvm current() {
        return new NodeJvm(Path.of(System.getProperty("java.home")), Runtime.version().feature());
    }

    /** Its {@code java} binary. */
    Path java() {
        return javaHome.resolve("bin").resolve("java");
    }

    /** Whether nodes on this JDK use the AOT cache rather than the JDK 17 AppCDS archive. */
    boolean aotCache() {
        return feature >= AOT_FEATURE;
    }

    /** The options file of this JDK's version that {@code home} has, as an {@code @file} option; none on JDK 17. */
    List<String> versionOptions(Path home) {
        Path file = home.resolve(AOT_OPTIONS);
        return aotCache() && Files.isRegularFile(file) ? List.of("@" + file) : List.of();
    }

    /** The options that map {@code home}'s archive (JDK 17) or AOT cache (25+), or none when it does not fit. */
    List<String> archiveOptions(Path home, String classPath) {
        return aotCache() ? NodeClassArchive.aotOptions(home.resolve(NodeClassArchive.AOT_CACHE), classPath)
                : NodeClassArchive.options(home.resolve(NodeClassArchive.ARCHIVE), classPath);
    }

    /** {@code options} split at white space; none for null or blank. */
    static List<String> split(String options) {
        if (options == null || options.isBlank()) {
            return List.of();
        }
        return Arrays.asList(options.trim().split("\\s+"));
    }

    /** Whether {@code options} choose a class archive, an AOT cache or an AOT mode themselves. */
    static boolean choosesArchive(List<String> options) {
        return options.stream().anyMatch(o -> o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-XX:AOT")
                || o.startsWith("-Xshare"));
    }
}
