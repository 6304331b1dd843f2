package io.ringswitch.overlay.ring.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who holds a key, and where a node stands towards it when it sees only a few neighbours each side. */
class ReplicasTest {

    private static RingAddress at(double fraction) {
        return RingAddress.atFraction(fraction);
    }

    /** Ten nodes at 0.05, 0.15, ... 0.95. */
    private static List<RingAddress> ring() {
        List<RingAddress> ring = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ring.add(at(0.05 + i * 0.1));
        }
        return ring;
    }

    @Test
    void theHoldersAreTheNearestByTheShorterWayRound() {
        List<RingAddress> r = ring();
        assertEquals(List.of(r.get(9), r.get(0), r.get(8)), Replicas.nearest(at(0.99), r, 3));
        assertEquals(List.of(r.get(4), r.get(5), r.get(3)), Replicas.nearest(at(0.49), r, 3));
        assertEquals(2, Replicas.nearest(at(0.5), ring().subList(0, 2), 3).size());
    }

    @Test
    void aNodeThatSeesPastTheKeyKnowsWhetherItHoldsIt() {
        List<RingAddress> r = ring();
        // The node at 0.45 sees two each side: 0.25 0.35 | 0.55 0.65. Key at 0.5: it is second nearest.
        RingAddress me = r.get(4);
        List<RingAddress> left = List.of(r.get(3), r.get(2));
        List<RingAddress> right = List.of(r.get(5), r.get(6));
        assertEquals(Replicas.Standing.HOLDER, Replicas.standing(me, at(0.50), left, right, 2, 3));
        // Key at 0.52: only 0.55 is nearer, and 0.65, past the key, is farther: it is second, and knows it.
        assertEquals(Replicas.Standing.HOLDER, Replicas.standing(me, at(0.52), left, right, 2, 3));
        // Key at 0.62: 0.55 and 0.65 are nearer, and 0.65 is not far enough past the key to rule out
        // 0.75 (which is nearer too: it is fourth). Key at 0.7: the same. It cannot tell either way.
        assertEquals(Replicas.Standing.UNSURE, Replicas.standing(me, at(0.62), left, right, 2, 3));
        assertEquals(Replicas.Standing.UNSURE, Replicas.standing(me, at(0.70), left, right, 2, 3));
        // With three each side it can: 0.55, 0.65, 0.75 are nearer.
        List<RingAddress> right3 = List.of(r.get(5), r.get(6), r.get(7));
        List<RingAddress> left3 = List.of(r.get(3), r.get(2), r.get(1));
        assertEquals(Replicas.Standing.NOT_HOLDER, Replicas.standing(me, at(0.70), left3, right3, 3, 3));
        assertEquals(Replicas.Standing.HOLDER, Replicas.standing(me, at(0.56), left3, right3, 3, 3));
        // A ring so small that a node knows every other one.
        assertEquals(Replicas.Standing.HOLDER, Replicas.standing(me, at(0.95), List.of(r.get(3)), List.of(r.get(5)), 2, 3));
    }
}
