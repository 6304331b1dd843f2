package io.ringswitch.topology.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The simulator's bare and signed runs on the same small ring: signing costs CPU and bytes but no
 * delivery and no DHT availability, and a member that routes a message in another member's name
 * gets it refused. The 10,000-node figures come from {@code ringswitch sim --security}.
 */
class SecurityComparisonTest {

    private static SimulationSpec spec(int nodes, long seed, DhtSpec dht, boolean signedSources) {
        return new SimulationSpec(nodes, seed, null, RingConfig.defaults(), 200, LatencyModel.uniform(10, 100, seed),
                false, dht, signedSources, false);
    }

    private static double figure(SecurityComparison.Row row, boolean signed) {
        Object v = signed ? row.signed() : row.bare();
        assertNotNull(v, row.toString());
        return ((Number) v).doubleValue();
    }

    private static SecurityComparison.Row row(SecurityComparison.Report report, String prefix) {
        return report.table().stream().filter(r -> r.figure().startsWith(prefix)).findFirst().orElseThrow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void signedRingDeliversAndKeepsItsKeysAtLeastAsWellAsBareAndRefusesNoHonestMessage() {
        SimulationSpec spec = new SimulationSpec(200, 11, null, RingConfig.defaults(), 300,
                LatencyModel.uniform(10, 100, 11), false, DhtSpec.parse("keys=200,gets=200,kill=20%"));
        SecurityComparison.Report report = new SecurityComparison(spec).run(line -> { });
        for (String prefix : List.of("routed delivery, steady", "routed delivery, burst", "DHT gets found before",
                "DHT keys found after")) {
            SecurityComparison.Row row = row(report, prefix);
            assertTrue(figure(row, true) >= figure(row, false), row.toString());
            assertTrue(figure(row, true) >= 0.99, row.toString());
        }
        SecurityComparison.Row lost = row(report, "DHT keys lost");
        assertEquals(0, figure(lost, true), lost.toString());
        SecurityComparison.Row broadcast = row(report, "broadcast");
        assertEquals("199/199", broadcast.signed(), broadcast.toString());
        Map<String, Object> signedDht = (Map<String, Object>) report.signed().get("dht");
        assertEquals(40, ((Map<String, Object>) signedDht.get("kill")).get("killed"));
        // Honest members: nothing refused, and the records signed runs keep are larger (certificate and signature).
        assertEquals(Map.of(), report.signed().get("source_refusals"));
        assertEquals(0L, ((Map<String, Long>) report.signed().get("counters")).get("ring.forgedSource"));
        assertTrue((long) signedDht.get("bytes_per_key_stored")
                > (long) ((Map<String, Object>) report.bare().get("dht")).get("bytes_per_key_stored"));
        assertFalse(SecurityComparison.lines(report).isEmpty());
    }

    /**
     * A member signs a probe and a broadcast with its own certificate but names another member as
     * their source and hands them to its neighbour: the destination refuses the probe, the first
     * hop the broadcast. The same forgeries on the bare ring arrive and spread, so the refusal is
     * the signatures' doing; a probe in the attacker's own name still arrives.
     */
    @Test
    void aMemberCannotRouteOrBroadcastInAnotherMembersName() {
        SimIdentities identities = new SimIdentities(Instant.now());
        int attacker = 3;
        int dst = 60;

        RingSimulation signed = new RingSimulation(spec(100, 12, null, true), identities);
        signed.form(line -> { });
        signed.runUntil(signed.nowMillis() + 10_000);
        // The addresses come from fresh keys at every run: a fixed victim was now and then the
        // attacker's own right neighbour, whose forgery the range checks refused before its signature.
        int victim = signed.oppositeOf(attacker, dst);
        RingSimulation.Route forged = signed.forgeProbe(attacker, victim, dst, 10_000);
        assertFalse(forged.delivered(), "a probe in another member's name was delivered on the signed ring");
        assertTrue(signed.sourceRefusals().getOrDefault("not-the-source", 0L) >= 1, signed.sourceRefusals().toString());
        RingSimulation.Route honest = signed.routeBetween(List.of(new int[] {attacker, dst}), 1, 10_000).get(0);
        assertTrue(honest.delivered(), "the attacker's probe in its own name did not arrive");
        assertEquals(0, signed.forgeBroadcast(attacker, victim, 10_000), "a broadcast in another member's name spread");
        assertTrue(signed.sourceRefusals().getOrDefault("not-the-source", 0L) >= 2, signed.sourceRefusals().toString());

        RingSimulation bare = new RingSimulation(spec(100, 12, null, false), identities);
        bare.form(line -> { });
        bare.runUntil(bare.nowMillis() + 10_000);
        assertTrue(bare.forgeProbe(attacker, victim, dst, 10_000).delivered(),
                "without signatures the forgery should arrive: the test would prove nothing");
        // It spreads as far as the claimed origin (every hop refuses a range that reaches past it), not further.
        assertTrue(bare.forgeBroadcast(attacker, victim, 10_000) > 0,
                "without signatures the forged broadcast should spread: the test would prove nothing");
    }
}
