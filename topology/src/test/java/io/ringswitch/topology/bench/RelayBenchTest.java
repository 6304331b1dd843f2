package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.NatTour;
import io.ringswitch.topology.SiteEdge;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayBenchTest {

    @Test
    void theLabHasAPairThatMustBeRelayedAndFourOpenCandidates() {
        for (String choice : LabSpec.RELAY_CHOICES) {
            LabSpec spec = RelayBench.spec(choice);
            assertEquals(choice, spec.relayChoice());
            assertEquals(6, spec.sites());
            assertEquals(1, spec.hostsPerSite());
            assertEquals(1300, spec.overlayMtu());
            assertTrue(spec.encrypted());
            assertEquals("relay", NatTour.expected(spec.edge(RelayBench.FROM), spec.edge(RelayBench.TO)),
                    "sites 3 and 4 can never link directly");
            for (int open : List.of(1, 2, 5, 6)) {
                assertEquals(SiteEdge.OPEN, spec.edge(open), "site " + open + " is a relay candidate");
            }
        }
    }

    @Test
    void pingRepliesGiveTheirRtts() {
        String out = """
                PING 10.77.4.1 (10.77.4.1) 56(84) bytes of data.
                64 bytes from 10.77.4.1: icmp_seq=1 ttl=64 time=1.52 ms
                From 10.77.3.1 icmp_seq=2 Destination Host Unreachable
                64 bytes from 10.77.4.1: icmp_seq=3 ttl=64 time=0.981 ms

                --- 10.77.4.1 ping statistics ---
                3 packets transmitted, 2 received, 33.3333% packet loss, time 102ms
                rtt min/avg/max/mdev = 0.981/1.250/1.520/0.269 ms
                """;
        assertEquals(List.of(1.52, 0.981), RelayBench.rtts(out));
        assertEquals(List.of(), RelayBench.rtts("connect: Network is unreachable\n"));
    }

    @Test
    void aRunReadsAsItWent() {
        assertEquals("relayed via site 5 after 1200 ms, first ping 900 ms, RTT median 1.1 ms, TCP 250.0 Mbit/s",
                RelayBench.describe(new RelayReport.Run(1, true, 5, "relay", 1200L, 900L, 1.1, 250.0, null)));
        assertEquals("FAILED (path ring), first ping -, RTT median 2.0 ms, TCP -; no relay",
                RelayBench.describe(new RelayReport.Run(2, false, null, "ring", null, null, 2.0, null, "no relay")));
    }

    @Test
    void theLoadIsSaidInWordsAndBoundsAreChecked() {
        assertEquals("none", RelayBench.loadDescription(0));
        assertTrue(RelayBench.loadDescription(100).contains("100 Mbit/s") && RelayBench.loadDescription(100).contains("site 1"));
        assertThrows(IllegalArgumentException.class, () -> new RelayBench(line -> { }, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new RelayBench(line -> { }, 1, -1));
    }
}
