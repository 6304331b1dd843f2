package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.VirtualClock;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.util.Random;
import java.util.function.Supplier;

/**
 * An insider's forgeries: a member with a certificate of its own hands its right neighbour a
 * probe or a broadcast in another member's name, signed with its own key when the run signs
 * sources. What the security comparison shows the source checks stop.
 */
final class InsiderForgery {
    private final SimulationSpec spec;
    private final VirtualClock clock;
    private final Random random;
    private final SimNetwork network;
    private final SimProbes probes;

    InsiderForgery(SimulationSpec spec, VirtualClock clock, Random random, SimNetwork network, SimProbes probes) {
        this.spec = spec;
        this.clock = clock;
        this.random = random;
        this.network = network;
        this.probes = probes;
    }

    /**
     * Node {@code attacker} hands one of its linked peers a probe for {@code dst} that names node
     * {@code claimed} as its source. Returns its route after {@code waitMillis}: delivered only
     * when the destination took the forged source.
     */
    RingSimulation.Route probe(int attacker, int claimed, int dst, long waitMillis) {
        SimNode from = network.get(attacker);
        SimNode to = network.get(dst);
        RingAddress victim = network.get(claimed).node.address();
        SimNode firstHop = network.byAddress(from.node.rightNeighbours(1).get(0).address());
        Supplier<RingSimulation.Route> route = probes.forged(from, to, payload -> {
            byte[] signed = from.signatures == null ? payload
                    : from.signatures.signRouted(victim, to.node.address(), PayloadTypes.PROBE, payload);
            firstHop.node.onMessage(from.path, new RingMessage.Routed(victim, to.node.address(), RoutingMode.EXACT,
                    spec.ring().maxTtl(), 0, false, random.nextLong(), PayloadTypes.PROBE, signed));
        });
        clock.runUntil(clock.nowMillis() + waitMillis);
        return route.get();
    }

    /**
     * Node {@code attacker} hands its right neighbour a broadcast in node {@code claimed}'s name,
     * over the range from that neighbour round to the claimed origin (as much as a broadcast of
     * its may cover there: each hop refuses a range that reaches past the sender or the origin).
     * Returns how many nodes it reached within {@code waitMillis}.
     */
    long broadcast(int attacker, int claimed, long waitMillis) {
        SimNode from = network.get(attacker);
        RingAddress victim = network.get(claimed).node.address();
        SimNode firstHop = network.byAddress(from.node.rightNeighbours(1).get(0).address());
        network.all().forEach(s -> s.broadcastsSeen = 0);
        long id = random.nextLong();
        byte[] payload = new byte[8];
        if (from.signatures != null) {
            payload = from.signatures.signBroadcast(victim, id, PayloadTypes.PROBE, payload);
        }
        firstHop.node.onMessage(from.path, new RingMessage.Broadcast(victim, id, victim,
                spec.ring().maxTtl(), PayloadTypes.PROBE, payload));
        clock.runUntil(clock.nowMillis() + waitMillis);
        return network.all().stream().filter(s -> s.broadcastsSeen > 0).count();
    }
}
