package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.VirtualClock;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The probes of a run: routed messages of {@link PayloadTypes#PROBE} carrying an 8-byte number,
 * sent between nodes and timed on virtual time when they arrive, and the broadcasts of the same
 * type counted where they are delivered.
 */
final class SimProbes {

    private static final class Probe {
        final SimNode src;
        final SimNode dst;
        final long sentAt;
        int hops = -1;
        /** From the source's send to the destination's delivery, on virtual time: every hop's delay. */
        long latencyMillis = -1;

        Probe(SimNode src, SimNode dst, long sentAt) {
            this.src = src;
            this.dst = dst;
            this.sentAt = sentAt;
        }

        RingSimulation.Route route() {
            return new RingSimulation.Route(src.index, dst.index, latencyMillis, hops);
        }
    }

    private final VirtualClock clock;
    private final SimNetwork network;
    private final boolean verbose;
    private final Map<Long, Probe> probes = new HashMap<>();
    private long nextProbeId;
    private int shownFailures;
    private Consumer<String> verboseOut = line -> { };

    SimProbes(VirtualClock clock, SimNetwork network, boolean verbose) {
        this.clock = clock;
        this.network = network;
        this.verbose = verbose;
    }

    /** Where undeliverable probes are described in a verbose run. */
    void verboseOut(Consumer<String> out) {
        this.verboseOut = out;
    }

    /** Makes {@code sim} take probes and count broadcasts. */
    void attach(SimNode sim) {
        sim.node.register(PayloadTypes.PROBE, new PayloadHandler() {
            @Override
            public void delivered(RingMessage.Routed message) {
                arrived(sim, message);
            }

            @Override
            public void broadcastDelivered(RingAddress origin, byte[] payload) {
                sim.broadcastsSeen++;
            }
        });
        sim.node.onUndeliverable(message -> undeliverable(sim, message));
    }

    private void arrived(SimNode at, RingMessage.Routed message) {
        if (message.payload().length == 8) {
            Probe probe = probes.get(ByteBuffer.wrap(message.payload()).getLong());
            if (probe != null && probe.dst == at && probe.hops < 0) {
                probe.hops = message.hops();
                probe.latencyMillis = clock.nowMillis() - probe.sentAt;
            }
        }
    }

    private void undeliverable(SimNode at, RingMessage.Routed message) {
        if (verbose && message.payloadType() == PayloadTypes.PROBE && shownFailures++ < 8) {
            verboseOut.accept("  probe for " + message.dst().shortString() + " stuck at " + at.node.address().shortString()
                    + " after " + message.hops() + " hops (its right "
                    + RingDiagnostics.shortList(at.node.rightNeighbours(2)) + ", left "
                    + RingDiagnostics.shortList(at.node.leftNeighbours(2)) + ") at t=" + clock.nowMillis() + " ms");
        }
    }

    /** A new probe from {@code src} to {@code dst}, sent now; its payload. */
    private byte[] open(SimNode src, SimNode dst, List<Probe> sent) {
        long id = nextProbeId++;
        Probe probe = new Probe(src, dst, clock.nowMillis());
        probes.put(id, probe);
        if (sent != null) {
            sent.add(probe);
        }
        return ByteBuffer.allocate(8).putLong(id).array();
    }

    private void send(SimNode src, SimNode dst, List<Probe> sent) {
        src.node.send(dst.node.address(), RoutingMode.EXACT, PayloadTypes.PROBE, open(src, dst, sent), true);
    }

    /**
     * Sends {@code count} probes between random connected nodes spread over {@code spreadMillis}
     * from {@code start}; their routes, as they stand when asked for (the probes are drawn and
     * sent as virtual time reaches them, and filled in as they arrive).
     */
    Supplier<List<RingSimulation.Route>> between(long start, int count, long spreadMillis) {
        List<Probe> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clock.schedule(start + (long) i * spreadMillis / Math.max(1, count) - clock.nowMillis(), () -> {
                SimNode src = network.randomNode(n -> n.alive && n.node.isConnected());
                SimNode dst = src == null ? null : network.randomNode(n -> n != src && n.alive && n.node.isConnected());
                if (dst != null) {
                    send(src, dst, sent);
                }
            });
        }
        return () -> sent.stream().map(Probe::route).toList();
    }

    /**
     * Sends one probe along each pair of node numbers, spread over {@code spreadMillis} from now,
     * runs the clock {@code waitMillis} from now, and returns the routes as measured.
     */
    List<RingSimulation.Route> along(List<int[]> pairs, long spreadMillis, long waitMillis) {
        long start = clock.nowMillis();
        List<Probe> sent = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            SimNode src = network.get(pairs.get(i)[0]);
            SimNode dst = network.get(pairs.get(i)[1]);
            clock.schedule((long) i * spreadMillis / pairs.size(), () -> send(src, dst, sent));
        }
        clock.runUntil(start + waitMillis);
        return sent.stream().map(Probe::route).toList();
    }

    /** A probe that {@code forge} hands to the ring itself, from {@code src} to {@code dst}; its route when asked for. */
    Supplier<RingSimulation.Route> forged(SimNode src, SimNode dst, Consumer<byte[]> forge) {
        List<Probe> sent = new ArrayList<>(1);
        forge.accept(open(src, dst, sent));
        return () -> sent.get(0).route();
    }
}
