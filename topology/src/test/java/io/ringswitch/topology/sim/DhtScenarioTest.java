package io.ringswitch.topology.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DHT scenario of the simulator at a size that runs in seconds; the 10,000-node figures come from ringswitch sim. */
class DhtScenarioTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(int nodes, long seed, DhtSpec dht) {
        RingSimulation sim = new RingSimulation(new SimulationSpec(nodes, seed, null, RingConfig.defaults(), 200,
                LatencyModel.uniform(10, 100, seed), false, dht));
        Map<String, Object> report = sim.run(line -> { });
        report.remove("wall_seconds");
        return (Map<String, Object>) report.get("dht");
    }

    /** The run's report without its CPU figures, which differ from run to run. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutCpu(Map<String, Object> dht) {
        dht.remove("cpu_us_per_put");
        if (dht.get("gets") instanceof Map<?, ?> gets) {
            ((Map<String, Object>) gets).remove("cpu_us_per_get");
        }
        return dht;
    }

    @Test
    @SuppressWarnings("unchecked")
    void noKeyIsLostWhenAFifthOfTheNodesDiesAtOnceAndEveryKeyIsBackOnThreeNodesWithinAMinute() {
        Map<String, Object> dht = run(200, 4, DhtSpec.parse("keys=200,gets=200"));
        assertEquals(Map.of("OK", 200L, "unanswered", 0L), dht.get("puts"));
        assertEquals(Map.of("0", 0L, "1", 0L, "2", 0L, "3", 200L), dht.get("replicas_after_puts"));
        Map<String, Object> gets = (Map<String, Object>) dht.get("gets");
        assertEquals(200, gets.get("found"));
        Map<String, Object> kill = (Map<String, Object>) dht.get("kill");
        assertEquals(40, kill.get("killed"));
        assertNotNull(kill.get("full_replication_after_s"), kill.toString());
        assertTrue((long) kill.get("full_replication_after_s") <= 60, kill.toString());
        Map<String, Object> after = (Map<String, Object>) dht.get("gets_after_kill");
        assertEquals(0, after.get("keys_lost"), after.toString());
        assertEquals(200L - (int) after.get("gone_with_their_owner"), after.get("found"));
    }

    @Test
    void keysWhoseHoldersAllDieComeBackWhenTheirOwnersPutThemAgain() {
        // Half the nodes die: about one key in eight loses all three holders at once.
        @SuppressWarnings("unchecked")
        Map<String, Object> kill = (Map<String, Object>) run(150, 5, DhtSpec.parse("keys=200,gets=0,kill=50%")).get("kill");
        int orphaned = (int) kill.get("keys_with_every_holder_killed");
        int gone = (int) kill.get("of_which_owner_killed_too");
        assertTrue(orphaned - gone > 0, kill.toString());
        assertNotNull(kill.get("keys_without_republished_after_s"), kill.toString());
        assertTrue((long) kill.get("full_replication_after_s") <= 60, kill.toString());
    }

    @Test
    void theSameSeedGivesTheSameDhtRun() {
        assertEquals(withoutCpu(run(120, 6, DhtSpec.parse("keys=100,gets=100"))),
                withoutCpu(run(120, 6, DhtSpec.parse("keys=100,gets=100"))));
    }

    /**
     * The same scenario with bare and with signed records: both keep every key; the CPU the whole
     * ring spends per put and per get, before and after signing, is printed (not asserted: the
     * machine is shared).
     */
    @Test
    @SuppressWarnings("unchecked")
    void signedRecordsKeepEveryKeyAndWhatTheyCostIsPrinted() {
        Map<String, Object> bare = run(150, 7, DhtSpec.parse("keys=300,gets=300,kill=20%"));
        Map<String, Object> signed = run(150, 7, DhtSpec.parse("keys=300,gets=300,kill=20%,signed=true"));
        for (Map<String, Object> dht : List.of(bare, signed)) {
            assertEquals(Map.of("OK", 300L, "unanswered", 0L), dht.get("puts"));
            assertEquals(300, ((Map<String, Object>) dht.get("gets")).get("found"));
            assertEquals(0, ((Map<String, Object>) dht.get("gets_after_kill")).get("keys_lost"));
        }
        System.out.printf("DHT CPU per operation, whole ring of 150 nodes (k=3): put %d us bare, %d us signed; "
                        + "get %d us bare, %d us signed; bytes per key stored %d bare, %d signed%n",
                bare.get("cpu_us_per_put"), signed.get("cpu_us_per_put"),
                ((Map<String, Object>) bare.get("gets")).get("cpu_us_per_get"),
                ((Map<String, Object>) signed.get("gets")).get("cpu_us_per_get"),
                bare.get("bytes_per_key_stored"), signed.get("bytes_per_key_stored"));
    }

    @Test
    void dhtSpecsAreParsedAndBadOnesExplained() {
        assertEquals(DhtSpec.defaults(), DhtSpec.parse("default"));
        assertEquals(DhtSpec.defaults(), DhtSpec.parse(""));
        assertEquals(new DhtSpec(500, 5, 0.1, 0, 120_000, 20_000, true),
                DhtSpec.parse("keys=500, replicas=5, kill=10%, gets=0, ttl=120s, republish=20, signed=true"));
        assertThrows(IllegalArgumentException.class, () -> DhtSpec.parse("signed=maybe"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DhtSpec.parse("nodes=5"));
        assertTrue(e.getMessage().contains("nodes"));
        assertThrows(IllegalArgumentException.class, () -> DhtSpec.parse("keys=many"));
        assertThrows(IllegalArgumentException.class, () -> DhtSpec.parse("kill=60%"));
        assertThrows(IllegalArgumentException.class, () -> DhtSpec.parse("ttl=60s,republish=40s"));
    }
}
