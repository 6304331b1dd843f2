package io.ringswitch.overlay.underlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's JVM options keep the epoll channel's receive buffer in the loop's cache between reads.
 * Without that, a link carrying a datagram now and then (a ping, a keep-alive) made the pool take a
 * fresh 512 KB chunk for every read, zero it, and free it after: about 65 us of the loop's CPU a
 * ping (issue 21's latency profile). The probe runs in a JVM started as a node is.
 */
class ReceiveBufferReuseTest {
    private static final Path NODE_OPTIONS = Path.of("jvm/node.options");
    private static final String CACHE_OPTION = "-Dio.netty.allocator.maxCachedBufferCapacity=";

    @Test
    void nodeOptionsKeepTheReceiveBufferBetweenReads() throws Exception {
        String out = probe(NODE_OPTIONS);
        assertTrue(out.contains("allocator=pooled"), out);
        assertEquals("chunksFreed=0", line(out, "chunksFreed="), out);
    }

    @Test
    void withoutTheCacheOptionEveryQuietReadFreesItsChunk(@TempDir Path dir) throws Exception {
        List<String> without = Files.readAllLines(NODE_OPTIONS).stream()
                .filter(l -> !l.startsWith(CACHE_OPTION)).toList();
        Path options = dir.resolve("node.options");
        Files.write(options, without);
        String out = probe(options);
        assertEquals("chunksFreed=" + ReceiveBufferProbe.READS, line(out, "chunksFreed="), out);
    }

    private static String probe(Path options) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "@" + options.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), ReceiveBufferProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String line(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("(no " + prefix + " line)");
    }
}
