package io.ringswitch.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.control.PingReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status table and the ping lines, as an operator reads them. */
class StatusTableTest {
    private static final String A = "aa".repeat(20);
    private static final String B = "bb".repeat(20);
    private static final String R = "cc".repeat(20);

    private static NodeStatus status(List<NodeStatus.LinkStatus> links) {
        return new NodeStatus("site1", 1, 0, A, true, List.of(R), List.of(B), links, 0,
                new NodeStatus.FrameStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new NodeStatus.RingStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                Map.of(), new NodeStatus.DataPathStats("epoll", true, true, 0, 0, 0, 0),
                new ControllerStatus(List.of("dpid"), 1, 0, 0, 0, 0, 0, 0, 0, 42, 3, 2, Map.of("multicast_groups", 1L), null),
                new NodeStatus.SecurityStats(true, "lab", 2, 2, 0, 0, Map.of(), List.of(), Map.of()),
                new NodeStatus.MulticastStats(0, 0, 0, 0, 0, 0, 0, 0), NodeStatus.NatStats.unknown(), null, null,
                new NodeStatus.CertificateStatus("2026-12-08T00:00:00Z", "valid", 0, 0, null), null, null,
                new NodeStatus.DhtHoldings(12, 9, 4));
    }

    @Test
    void everyLinkShowsItsPathRttAgeAndTrafficAndRelaysAreNamed() {
        String table = StatusTable.render(status(List.of(
                new NodeStatus.LinkStatus(B, "udp:10.0.0.2:5800", "udp", List.of("near"), 3, 2048, 1000, 20, 10, 75),
                new NodeStatus.LinkStatus(R, "relay:" + B.substring(0, 8) + ">" + R.substring(0, 8), "relay",
                        List.of("near", "relay"), 9, 10, 20, 1, 2, 5))),
                a -> a.startsWith("bb") ? "site2" : a.startsWith("cc") ? "site3" : null);
        assertTrue(table.contains("group        lab"), table);
        assertTrue(table.contains("expires 2026-12-08T00:00:00Z"), table);
        assertTrue(table.contains("relays       site3 via site2"), table);
        assertTrue(table.contains("holds 12 values under 9 keys, publishes 4"), table);
        assertTrue(table.contains("42 flows, 3 groups, 2 meters"), table);
        String udpRow = table.lines().filter(l -> l.startsWith("site2 ")).findFirst().orElseThrow();
        assertTrue(udpRow.matches("site2\\s+udp 10\\.0\\.0\\.2:5800\\s+near\\s+3 ms\\s+1m15s\\s+2\\.0 KiB / 20\\s+1000 B / 10"), udpRow);
        String relayRow = table.lines().filter(l -> l.startsWith("site3 ")).findFirst().orElseThrow();
        assertTrue(relayRow.contains("relay via site2"), relayRow);
    }

    @Test
    void pingLinesSayHowTheEchoWent() {
        PingReport report = new PingReport("site2", B, List.of());
        assertEquals("pong from site2 (bbbbbbbb) via udp 10.0.0.2:5800 (direct) in 0.41 ms", PingCommand.line(report,
                new PingReport.Reply(1, "direct", "udp:10.0.0.2:5800", null, 1, 1, 0.41, null)));
        assertEquals("pong from site2 (bbbbbbbb) via relay cccccccc (relayed link) in 1.20 ms", PingCommand.line(report,
                new PingReport.Reply(1, "relay", "relay:cccccccc>bbbbbbbb", R, 1, 1, 1.2, null)));
        assertEquals("pong from site2 (bbbbbbbb) over the ring: 3 hops there, 2 back, in 2.00 ms", PingCommand.line(report,
                new PingReport.Reply(1, "ring", null, null, 3, 2, 2.0, null)));
    }
}
