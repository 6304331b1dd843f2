package io.ringswitch.topology;

import java.nio.file.Path;
import java.util.List;

/** The command line that starts a node in its own JVM, sized for many nodes on one small machine. */
final class NodeProcess {
    private NodeProcess() {
    }

    static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java,
                "-Xms32m", "-Xmx128m", "-XX:MaxDirectMemorySize=96m", "-XX:+UseSerialGC", "-Xss512k",
                "-Dio.netty.allocator.numDirectArenas=1", "-Dio.netty.allocator.numHeapArenas=1",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS",
                "-cp", System.getProperty("java.class.path"),
                "io.ringswitch.overlay.NodeCommand");
    }
}
