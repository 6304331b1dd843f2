package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.RingConfig;

/**
 * What a {@link RingSimulation} simulates; {@code dht} is {@code null} for a run without the DHT
 * scenario; {@code signedSources} gives every node a certificate and source signatures on routed
 * messages and broadcasts; {@code costs} adds the phase that measures CPU per message.
 */
public record SimulationSpec(int nodes, long seed, ChurnSpec churn, RingConfig ring, int probes, LatencyModel latency,
                             boolean verbose, DhtSpec dht, boolean signedSources, boolean costs) {
    public SimulationSpec(int nodes, long seed, ChurnSpec churn, RingConfig ring, int probes, LatencyModel latency,
                          boolean verbose, DhtSpec dht) {
        this(nodes, seed, churn, ring, probes, latency, verbose, dht, false, false);
    }

    public SimulationSpec(int nodes, long seed, ChurnSpec churn, RingConfig ring, int probes, LatencyModel latency,
                          boolean verbose) {
        this(nodes, seed, churn, ring, probes, latency, verbose, null);
    }

    /** Whether the run's nodes need certificates. */
    boolean needsIdentities() {
        return signedSources || dht != null && dht.signed();
    }
}
