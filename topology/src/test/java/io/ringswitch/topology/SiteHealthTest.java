package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteHealthTest {
    private static final String A = "1000000000000000000000000000000000000000";
    private static final String B = "5000000000000000000000000000000000000000";
    private static final String C = "a000000000000000000000000000000000000000";

    @Test
    void aFreshStatusOfALiveProcessIsUp(@TempDir Path run) throws IOException {
        long now = System.currentTimeMillis();
        write(run, 1, status(ProcessHandle.current().pid(), now - 900, A, List.of(C, B), List.of(B, C)));
        SiteHealth health = SiteHealth.of(run, 1, now);
        assertTrue(health.up(), health.why());
        assertTrue(health.live().isPresent());
    }

    @Test
    void aDeadProcessIsDownEvenWithAFreshStatus(@TempDir Path run) throws IOException, InterruptedException {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long now = System.currentTimeMillis();
        write(run, 2, status(gone.pid(), now, A, List.of(), List.of()));
        SiteHealth health = SiteHealth.of(run, 2, now);
        assertFalse(health.up());
        assertEquals("process " + gone.pid() + " gone", health.why());
        assertTrue(health.status().isPresent(), "the last status is kept for the reader");
        assertTrue(health.live().isEmpty());
    }

    @Test
    void aStaleStatusIsDownAndSaysHowOld() {
        long now = 1_000_000;
        NodeStatus old = status(42, now - 7_200, A, List.of(), List.of());
        SiteHealth health = SiteHealth.judge(3, Optional.of(old), now, pid -> true);
        assertEquals("status 7 s old", health.why());
        assertTrue(SiteHealth.judge(3, Optional.of(status(42, now - 2_900, A, List.of(), List.of())), now, pid -> true).up(),
                "within " + SiteHealth.STALE_AFTER + " a status is fresh");
        assertEquals("no status written", SiteHealth.judge(4, Optional.empty(), now, pid -> true).why());
    }

    @Test
    void theCrawlLeavesDownNodesOut() {
        long now = 1_000_000;
        // A, B and C are a consistent ring of three; D's stale view would break it.
        List<SiteHealth> sites = List.of(
                SiteHealth.judge(1, Optional.of(status(1, now, A, List.of(C, B), List.of(B, C))), now, pid -> true),
                SiteHealth.judge(2, Optional.of(status(2, now, B, List.of(A, C), List.of(C, A))), now, pid -> true),
                SiteHealth.judge(3, Optional.of(status(3, now, C, List.of(B, A), List.of(A, B))), now, pid -> true),
                SiteHealth.judge(4, Optional.of(status(4, now, "f000000000000000000000000000000000000000",
                        List.of(A, C), List.of(B, A))), now, pid -> pid != 4));
        Crawl.Result crawl = SiteHealth.crawl(sites);
        assertEquals(3, crawl.nodes());
        assertEquals(1.0, crawl.consistency(), "off: " + crawl.inconsistent());
    }

    @Test
    void labStateRoundTrips(@TempDir Path run) throws IOException {
        LabState state = new LabState(LabSpec.of("x", 3, 1).withShortcuts(0), List.of("rs-x-wan", "rs-x-s1"), List.of(7L, 8L));
        state.write(run);
        assertEquals(Optional.of(state), LabState.read(run));
        assertEquals(Optional.empty(), LabState.read(run.resolve("none")));
    }

    private static void write(Path run, int site, NodeStatus status) throws IOException {
        Files.createDirectories(run.resolve("s" + site));
        status.write(run.resolve("s" + site).resolve("status.json"));
    }

    private static NodeStatus status(long pid, long writtenAt, String address, List<String> left, List<String> right) {
        return new NodeStatus("n" + pid, pid, writtenAt, address, true, left, right, List.of(), 0,
                new NodeStatus.FrameStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new NodeStatus.RingStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                Map.of(), new NodeStatus.DataPathStats("nio", false, false, 0, 0, 0, 0),
                new ControllerStatus(List.of("1"), 3, 0, 0, 0, 0, 0, 0, 1), NodeStatus.SecurityStats.plaintext(),
                null, NodeStatus.NatStats.unknown());
    }
}
