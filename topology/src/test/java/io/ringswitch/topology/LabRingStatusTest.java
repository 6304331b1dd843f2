package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab dashboard's merge of every site's status file into one answer. */
class LabRingStatusTest {
    private static final String A = "1000000000000000000000000000000000000000";
    private static final String B = "5000000000000000000000000000000000000000";
    private static final String C = "a000000000000000000000000000000000000000";
    private static final LabSpec SPEC = LabSpec.of("dash", 3, 1).withEdge(3, SiteEdge.UDP_BLOCKED);

    @Test
    void everySiteIsInTheAnswerUpOrDownWithItsEdgeAndItsLastStatus(@TempDir Path run) throws Exception {
        new LabState(SPEC, List.of(), List.of()).write(run);
        long now = System.currentTimeMillis();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        NodeStatus one = status(ProcessHandle.current().pid(), now, A, List.of(
                new NodeStatus.LinkStatus(B, "tcp:10.99.0.2:5800", "tcp", List.of("near"), 2),
                new NodeStatus.LinkStatus(C, "relay:50000000>a0000000", "relay", List.of("near"), 7)));
        NodeStatus two = status(gone.pid(), now, B, List.of());
        write(run, 1, one);
        write(run, 2, two);

        LabRingStatus lab = LabRingStatus.read(run).orElseThrow();
        assertEquals("dash", lab.lab());
        assertEquals(List.of(1, 2, 3), lab.sites().stream().map(LabRingStatus.Site::site).toList());
        assertEquals(List.of("open", "open", "udp-blocked"), lab.sites().stream().map(LabRingStatus.Site::edge).toList());
        LabRingStatus.Site s1 = lab.sites().get(0);
        assertTrue(s1.up(), s1.why());
        assertEquals(one, s1.status(), "the up site's status as its node wrote it, links and all");
        LabRingStatus.Site s2 = lab.sites().get(1);
        assertFalse(s2.up());
        assertTrue(s2.why().contains("gone"), s2.why());
        assertEquals(two, s2.status(), "a down site keeps its last status");
        LabRingStatus.Site s3 = lab.sites().get(2);
        assertFalse(s3.up());
        assertEquals("no status written", s3.why());
        assertNull(s3.status());
        assertEquals(List.of(s1), lab.upSites());
    }

    @Test
    void theAnswerIsJsonThatReadsBackAsTheSameStatuses(@TempDir Path run) throws Exception {
        new LabState(SPEC, List.of(), List.of()).write(run);
        write(run, 1, status(ProcessHandle.current().pid(), System.currentTimeMillis(), A,
                List.of(new NodeStatus.LinkStatus(B, "udp:10.99.0.2:5800", "udp", List.of("near"), 1))));
        LabRingStatus lab = LabRingStatus.read(run).orElseThrow();
        ObjectMapper json = new ObjectMapper();
        assertEquals(lab, json.readValue(json.writeValueAsBytes(lab), LabRingStatus.class));
    }

    @Test
    void noLabNoAnswer(@TempDir Path run) throws IOException {
        assertEquals(Optional.empty(), LabRingStatus.read(run));
    }

    private static void write(Path run, int site, NodeStatus status) throws IOException {
        Files.createDirectories(run.resolve("s" + site));
        status.write(run.resolve("s" + site).resolve("status.json"));
    }

    private static NodeStatus status(long pid, long writtenAt, String address, List<NodeStatus.LinkStatus> links) {
        return new NodeStatus("n" + pid, pid, writtenAt, address, true, List.of(), List.of(), links, 0,
                new NodeStatus.FrameStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new NodeStatus.RingStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                Map.of(), new NodeStatus.DataPathStats("nio", false, false, 0, 0, 0, 0),
                new ControllerStatus(List.of("1"), 3, 0, 0, 0, 0, 0, 0, 1), NodeStatus.SecurityStats.plaintext(),
                null, NodeStatus.NatStats.unknown());
    }
}
