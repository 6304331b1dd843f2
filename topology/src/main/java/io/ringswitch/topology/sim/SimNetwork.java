package io.ringswitch.topology.sim;

import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.VirtualClock;
import io.ringswitch.overlay.ring.dht.DhtConfig;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SignedDhtRecords;
import io.ringswitch.overlay.security.SourceSignatures;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The simulated sites and the underlay between them: node {@code i} is bound to 10.x.y.z:4000 with
 * {@code i} in x.y.z, a datagram takes the {@link LatencyModel}'s delay on the virtual clock and is
 * lost when its destination does not run. Also draws random running nodes in O(1) (a draw among
 * all nodes, again until it hits a running one), where a list of the running ones, made afresh for
 * each join or probe, cost O(N) each and O(N^2) a run.
 */
final class SimNetwork {
    static final int PORT = 4000;
    private static final int BOOTSTRAPS = 3;
    /** Draws among all nodes before a random node is picked from a list of those that pass. */
    private static final int DRAWS = 256;

    private final SimulationSpec spec;
    private final VirtualClock clock;
    private final Random random;
    private final SimIdentities identities;
    private final TrafficMeter traffic;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<RingAddress, SimNode> byAddress = new HashMap<>();
    private int running;

    /**
     * A datagram on its way: its own event on the clock, so that a message sent costs one object,
     * not two. It holds the receiving node and the sender's path themselves, not the two sites':
     * each site read when it arrives was one more cache miss per message at 100,000 nodes. A node
     * that no longer runs drops it ({@link RingNode#onMessage}), as a site that is not alive would.
     */
    private static final class Delivery extends VirtualClock.Entry {
        private final PeerPath from;
        private final RingNode to;
        private final RingMessage message;

        Delivery(PeerPath from, RingNode to, RingMessage message) {
            this.from = from;
            this.to = to;
            this.message = message;
        }

        @Override
        protected void run() {
            to.onMessage(from, message);
        }
    }

    SimNetwork(SimulationSpec spec, VirtualClock clock, Random random, SimIdentities identities, TrafficMeter traffic) {
        this.spec = spec;
        this.clock = clock;
        this.random = random;
        this.identities = identities;
        this.traffic = traffic;
    }

    private static InetSocketAddress endpointOf(int index) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (index >> 16), (byte) (index >> 8),
                    (byte) index}), PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node a datagram to {@code path} reaches, read from the address itself; null for none. */
    SimNode at(PeerPath path) {
        if (!(path instanceof PeerPath.Udp udp) || udp.endpoint().getPort() != PORT) {
            return null;
        }
        InetAddress ip = udp.endpoint().getAddress();
        if (!(ip instanceof Inet4Address)) {
            return null;
        }
        // An IPv4 address's hash is the address itself: no byte array per datagram, as getAddress() makes.
        int a = ip.hashCode();
        int index = a & 0xFF_FFFF;
        return a >>> 24 == 10 && index < nodes.size() ? nodes.get(index) : null;
    }

    /** Makes the next node (not started), with its identity's address in a run with identities. */
    SimNode add(SimProbes probes) {
        SimNode sim = new SimNode(nodes.size(), endpointOf(nodes.size()));
        NodeIdentity identity = identities == null ? null : identities.of(sim.index);
        RingAddress address = identity == null ? RingAddress.random(random) : identity.certificate().address();
        DhtConfig dht = spec.dht() == null ? DhtConfig.defaults() : DhtConfig.defaults().withReplicas(spec.dht().replicas());
        sim.node = new RingNode(new Contact(address, sim.endpoint), spec.ring(), dht, clock, (to, message) -> {
            traffic.sent(message);
            SimNode dst = at(to);
            if (dst == null || !dst.alive) {
                return;
            }
            clock.schedule(spec.latency().oneWayMillis(sim.index, dst.index), new Delivery(sim.path, dst.node, message));
        }, new Random(random.nextLong()), NodeMetrics.countedOnly());
        if (spec.dht() != null && spec.dht().signed()) {
            sim.node.dht().useRecords(new SignedDhtRecords(identity, () -> identities.wallMillis(clock.nowMillis())));
        }
        if (spec.signedSources()) {
            sim.signatures = new SourceSignatures(identity, () -> Instant.ofEpochMilli(identities.wallMillis(clock.nowMillis())));
            sim.timed = new TimedSourceAuthentication(sim.signatures);
            sim.node.authenticate(sim.timed);
        }
        probes.attach(sim);
        nodes.add(sim);
        byAddress.put(address, sim);
        return sim;
    }

    /** Starts a node with up to three running nodes as its bootstrap list, as an operator would configure. */
    void join(SimNode sim) {
        List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (int i = 0; i < Math.min(BOOTSTRAPS, running); i++) {
            bootstrap.add(randomNode(s -> s.alive).endpoint);
        }
        sim.alive = true;
        running++;
        sim.node.start(bootstrap);
    }

    /** Crashes a node: no goodbye, its links go silent. */
    void crash(SimNode sim) {
        if (sim.alive) {
            sim.alive = false;
            running--;
        }
        sim.node.stop(false);
    }

    /**
     * A random node that passes {@code test}, which only running nodes may pass; null when none
     * does. O(1) while most nodes pass, as they do but for the first joins; O(N) otherwise.
     */
    SimNode randomNode(Predicate<SimNode> test) {
        if (running == 0) {
            return null;
        }
        for (int tries = 0; tries < DRAWS; tries++) {
            SimNode s = nodes.get(random.nextInt(nodes.size()));
            if (test.test(s)) {
                return s;
            }
        }
        List<SimNode> passing = nodes.stream().filter(test).toList();
        return passing.isEmpty() ? null : passing.get(random.nextInt(passing.size()));
    }

    /** The running nodes, in the order they were made. */
    List<SimNode> live() {
        List<SimNode> out = new ArrayList<>(running);
        for (SimNode s : nodes) {
            if (s.alive) {
                out.add(s);
            }
        }
        return out;
    }

    /** The running nodes that are part of the ring. */
    List<SimNode> connectedLive() {
        return nodes.stream().filter(n -> n.alive && n.node.isConnected()).toList();
    }

    int running() {
        return running;
    }

    SimNode get(int index) {
        return nodes.get(index);
    }

    SimNode byAddress(RingAddress address) {
        return byAddress.get(address);
    }

    List<SimNode> all() {
        return nodes;
    }
}
