package io.ringswitch.overlay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.GatewayDirectory;
import io.ringswitch.overlay.api.GatewayCandidate;
import io.ringswitch.overlay.api.GatewayStatus;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.VirtualClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client's choice of gateway on virtual time, over a fake ring that answers probes after each gateway's round trip. */
class GatewayChooserTest {
    private static final long PROBE = 1_000;

    private final VirtualClock clock = new VirtualClock();
    private final List<GatewayRecord> published = new ArrayList<>();
    private final Map<RingAddress, Long> rtt = new HashMap<>();
    private final Set<RingAddress> down = new HashSet<>();
    private final List<String> heard = new ArrayList<>();
    private final Random nonces = new Random(7);
    private final NodeMetrics metrics = NodeMetrics.inProcess();

    private GatewayRecord gateway(String site, long rttMillis) {
        RingAddress a = RingAddress.ofName(site);
        GatewayRecord r = new GatewayRecord(site, a, 0x0247_0000_0000L + published.size() + 1, 0x0a4dfe01 + published.size(), false,
                0, 1, false);
        published.add(r);
        rtt.put(a, rttMillis);
        return r;
    }

    private GatewayChooser chooser(String self, boolean random) {
        GatewayChooser[] holder = new GatewayChooser[1];
        GatewayChooser c = new GatewayChooser(RingAddress.ofName(self), clock,
                () -> CompletableFuture.completedFuture(List.copyOf(published)), (to, payload) -> {
                    GatewayProbe.Request q = (GatewayProbe.Request) GatewayProbeCodec.decode(payload);
                    GatewayRecord r = published.stream().filter(g -> g.address().equals(to)).findFirst().orElse(null);
                    if (r != null && !down.contains(to)) {
                        clock.schedule(rtt.get(to), () -> holder[0].onReply(to,
                                new GatewayProbe.Reply(q.nonce(), r.mac(), r.ipv4(), r.ipv6(), 0)));
                    }
                }, nonces::nextLong, random, PROBE, metrics);
        holder[0] = c;
        c.listen(g -> heard.add(g == null ? "none" : g.site()));
        c.start();
        return c;
    }

    private static String site(GatewayDirectory.Gateway g) {
        return g == null ? "none" : g.site();
    }

    private String last() {
        return heard.get(heard.size() - 1);
    }

    @Test
    void theLowestRoundTripIsChosenAndKept() {
        gateway("gw-far", 80);
        gateway("gw-near", 20);
        gateway("gw-mid", 50);
        GatewayChooser c = chooser("client", false);
        clock.runUntil(5_000);
        assertEquals("gw-near", last());
        assertEquals(List.of("none", "gw-near"), heard, "chosen once, kept while it answers");
        assertEquals(0, c.failovers());
    }

    /** The status's gateway section is what the node's registry holds of the chooser, before and after a failover. */
    @Test
    void theGatewaySectionIsReadFromTheRegistry() {
        gateway("gw-far", 80);
        gateway("gw-near", 20);
        GatewayChooser c = chooser("client", false);
        GatewayMetrics.register(metrics, c, null);
        clock.runUntil(5_000);

        GatewayStatus s = GatewayMetrics.status(MetricsSnapshot.of(metrics));
        assertEquals("client", s.role());
        assertEquals("gw-near", s.chosen());
        assertEquals(Map.of("gw-far", 80L, "gw-near", 20L), rtts(s));
        assertTrue(s.candidates().stream().allMatch(GatewayCandidate::alive), s.toString());
        assertTrue(s.probesSent() >= 2 && s.repliesAccepted() >= 2, s.toString());
        assertEquals(0, s.failovers());

        down.add(RingAddress.ofName("gw-near"));
        clock.runUntil(9_000);
        GatewayStatus after = GatewayMetrics.status(MetricsSnapshot.of(metrics));
        assertEquals("gw-far", after.chosen());
        assertEquals(1, after.failovers());
        assertTrue(after.candidates().stream().anyMatch(g -> g.site().equals("gw-near") && !g.alive()), after.toString());
        assertEquals(c.millisWithoutGateway(), after.millisWithoutGateway());
    }

    private static Map<String, Long> rtts(GatewayStatus s) {
        Map<String, Long> out = new HashMap<>();
        s.candidates().forEach(g -> out.put(g.site(), g.rttMillis()));
        return out;
    }

    @Test
    void aGatewayThatStopsAnsweringIsReplacedWithinTwoProbePeriods() {
        gateway("gw-a", 10);
        GatewayRecord b = gateway("gw-b", 30);
        GatewayChooser c = chooser("client", false);
        clock.runUntil(5_000);
        assertEquals("gw-a", last());
        down.add(RingAddress.ofName("gw-a"));
        long killedAt = clock.nowMillis();
        while (last().equals("gw-a") && clock.nowMillis() < killedAt + 10_000) {
            clock.runUntil(clock.nowMillis() + 10);
        }
        assertEquals(b.site(), last());
        assertTrue(clock.nowMillis() - killedAt <= 3 * PROBE, "failover after " + (clock.nowMillis() - killedAt) + " ms");
        assertEquals(1, c.failovers());
    }

    @Test
    void everyGatewayDownMeansNoneUntilOneAnswersAgain() {
        gateway("gw-a", 10);
        gateway("gw-b", 30);
        GatewayChooser c = chooser("client", false);
        clock.runUntil(5_000);
        down.add(RingAddress.ofName("gw-a"));
        down.add(RingAddress.ofName("gw-b"));
        clock.runUntil(9_000);
        assertEquals("none", last(), "fail closed");
        assertNull(c.chosen());
        long without = c.millisWithoutGateway();
        clock.runUntil(20_000);
        assertTrue(c.millisWithoutGateway() > without, "the time without a gateway grows");
        down.remove(RingAddress.ofName("gw-b"));
        clock.runUntil(20_000 + 2 * PROBE);
        assertEquals("gw-b", last(), "back by itself when a gateway answers");
    }

    @Test
    void aRecordThatDisappearsMovesTheChoiceAtTheNextRead() {
        GatewayRecord a = gateway("gw-a", 10);
        gateway("gw-b", 30);
        chooser("client", false);
        clock.runUntil(5_000);
        assertEquals("gw-a", last());
        published.remove(a);
        clock.runUntil(5_000 + GatewayChooser.READ_MILLIS);
        assertEquals("gw-b", last());
    }

    @Test
    void aRandomChoiceIsStableForANodeAndSpreadsOverNodes() {
        for (int i = 0; i < 4; i++) {
            gateway("gw-" + i, 10 + i);
        }
        Set<String> chosen = new HashSet<>();
        for (int n = 0; n < 16; n++) {
            heard.clear();
            GatewayChooser c = chooser("client-" + n, true);
            clock.runUntil(clock.nowMillis() + 4_000);
            String first = last();
            c.stop();
            heard.clear();
            GatewayChooser again = chooser("client-" + n, true);
            clock.runUntil(clock.nowMillis() + 4_000);
            assertEquals(first, last(), "the same node chooses the same gateway");
            again.stop();
            chosen.add(first);
        }
        assertTrue(chosen.size() >= 2, "16 nodes spread over the gateways: " + chosen);
    }

    @Test
    void anAnswerWithAnotherMacOrAWrongNonceDoesNotMakeAGatewayAlive() {
        GatewayRecord r = gateway("gw-a", 10);
        down.add(r.address());
        GatewayChooser c = chooser("client", false);
        clock.runUntil(500);
        c.onReply(r.address(), new GatewayProbe.Reply(12345, r.mac(), r.ipv4(), false, 0));
        clock.runUntil(3_000);
        assertEquals("none", last(), "a guessed nonce is refused");
        // The real gateway at that ring address answers, but names a port other than the record's:
        // a record that names another node's MAC steers nothing.
        down.remove(r.address());
        published.set(0, new GatewayRecord("gw-a", r.address(), 0x02_00_00_00_00_99L, r.ipv4(), false, 0, 2, false));
        GatewayChooser other = new GatewayChooser(RingAddress.ofName("x"), clock,
                () -> CompletableFuture.completedFuture(List.copyOf(published)), (to, payload) -> {
                    GatewayProbe.Request q = (GatewayProbe.Request) GatewayProbeCodec.decode(payload);
                    clock.schedule(5, () -> otherReply(to, q, r));
                }, nonces::nextLong, false, PROBE);
        replies = other;
        List<String> seen = new ArrayList<>();
        other.listen(g -> seen.add(site(g)));
        other.start();
        clock.runUntil(10_000);
        assertEquals(List.of("none"), seen);
        assertNotEquals(0, other.repliesRefused());
    }

    private GatewayChooser replies;

    private void otherReply(RingAddress to, GatewayProbe.Request q, GatewayRecord real) {
        replies.onReply(to, new GatewayProbe.Reply(q.nonce(), real.mac(), real.ipv4(), false, 0));
    }
}
