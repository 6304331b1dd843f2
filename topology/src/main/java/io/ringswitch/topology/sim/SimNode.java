package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.SourceSignatures;
import java.net.InetSocketAddress;

/**
 * One simulated site: its number (the order it was made in), its endpoint on the simulated
 * underlay, the real {@link RingNode} it runs, whether it runs, and what the scenario counts there.
 */
final class SimNode {
    final int index;
    final InetSocketAddress endpoint;
    final PeerPath path;
    RingNode node;
    /** The node's source signatures in a signed run; null otherwise. */
    SourceSignatures signatures;
    /** The CPU time its signing and checking took, in a signed run; null otherwise. */
    TimedSourceAuthentication timed;
    boolean alive;
    long broadcastsSeen;

    SimNode(int index, InetSocketAddress endpoint) {
        this.index = index;
        this.endpoint = endpoint;
        this.path = new PeerPath.Udp(endpoint);
    }
}
