package io.ringswitch.overlay;

import io.ringswitch.controller.OpenFlowController;
import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.forwarding.FrameForwarder;
import io.ringswitch.overlay.gateway.GatewayMetrics;
import io.ringswitch.overlay.group.CertificateMetrics;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.privateoverlay.PrivateOverlayMetrics;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.tap.TapDevice;
import io.ringswitch.overlay.underlay.DatagramDecoder;
import io.ringswitch.overlay.underlay.TcpLinks;
import io.ringswitch.overlay.underlay.UnderlayTransport;
import io.ringswitch.overlay.underlay.WireFormat;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a running node's parts and one scrape of its metrics registry (what {@code /metrics}
 * shows) into its {@link NodeStatus} record, for the status file, the control socket and the
 * dashboard. Split out of {@link OverlayNode}, which wires the parts; a snapshot reads the ring,
 * so it is taken on the node's event loop.
 */
final class NodeSnapshot {
    private final String name;
    private final NodeMetrics metrics;
    private final RingNode ring;
    /** The ring's clock (monotonic), for the links' age. */
    private final EventLoopScheduler clock;
    private final FrameForwarder forwarder;
    private final UnderlayTransport underlay;
    private final TapDevice tap;
    private final OpenFlowController controller;
    /** The secure layer, or null when links are plaintext. */
    private final SecureLinkHandler security;

    NodeSnapshot(String name, NodeMetrics metrics, RingNode ring, EventLoopScheduler clock, FrameForwarder forwarder,
            UnderlayTransport underlay, TapDevice tap, OpenFlowController controller, SecureLinkHandler security) {
        this.name = name;
        this.metrics = metrics;
        this.ring = ring;
        this.clock = clock;
        this.forwarder = forwarder;
        this.underlay = underlay;
        this.tap = tap;
        this.controller = controller;
        this.security = security;
    }

    /** The status record, its counts read from one scrape of the node's registry. */
    NodeStatus take() {
        MetricsSnapshot scrape = MetricsSnapshot.of(metrics);
        return new NodeStatus(name, ProcessHandle.current().pid(), System.currentTimeMillis(),
                ring.address().toString(), ring.isConnected(),
                ring.leftNeighbours(2).stream().map(c -> c.address().toString()).toList(),
                ring.rightNeighbours(2).stream().map(c -> c.address().toString()).toList(),
                ring.links().stream().map(link -> StatusParts.linkStatus(link, clock.nowMillis())).toList(),
                forwarder.remoteMacs(), FrameForwarder.stats(scrape), StatusParts.ringStats(scrape), DatagramDecoder.rejects(scrape),
                DataPathMetrics.stats(scrape, underlay.name(), underlay.gso(), tap.offloads()),
                controller.status(), security == null ? NodeStatus.SecurityStats.plaintext()
                        : security.snapshot(scrape, Map.of(
                                "address-mismatch", DatagramDecoder.refusal(WireFormat.Reject.ADDRESS_MISMATCH),
                                "tcp-malformed", TcpLinks.Counters.MALFORMED,
                                "tcp-dropped", TcpLinks.Counters.DROPPED,
                                "tcp-over-limit", TcpLinks.Counters.OVER_LIMIT,
                                "routed-forged-source", RingCounters.FORGED_SOURCE,
                                "routed-frame-unsealed", RingCounters.UNSEALED_FRAMES)),
                forwarder.multicastStats(scrape), natStats(scrape), GatewayMetrics.status(scrape),
                StatusParts.dhtRecordStats(scrape, ring.dht().recordsSigned()),
                CertificateMetrics.status(scrape, Instant.now()), RevocationMetrics.status(scrape),
                PrivateOverlayMetrics.status(scrape), StatusParts.dhtHoldings(scrape));
    }

    /** The NAT view: what the ring learned of this node's endpoints, and what the secure layer did to keep links. */
    private NodeStatus.NatStats natStats(MetricsSnapshot scrape) {
        return new NodeStatus.NatStats(ring.publicEndpoints().stream().map(Endpoints::format).toList(), ring.natMapping(),
                ring.tcpOnly(), scrape.get(SecureLinkHandler.KEEPALIVES_SENT), scrape.get(SecureLinkHandler.ROAMED),
                scrape.get(RingCounters.PROBES_LIMITED), scrape.get(SecureLinkHandler.RELAYED_RECORDS));
    }
}
