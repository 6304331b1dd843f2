package io.ringswitch.overlay;

import io.ringswitch.overlay.api.GatewayConfig;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.TunnelConfig;
import io.ringswitch.overlay.gateway.DhtGatewayRecords;
import io.ringswitch.overlay.gateway.GatewayChooser;
import io.ringswitch.overlay.gateway.GatewayMetrics;
import io.ringswitch.overlay.gateway.GatewayProbes;
import io.ringswitch.overlay.gateway.GatewayPublisher;
import io.ringswitch.overlay.gateway.GatewayRecord;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.NodeRoles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.types.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The full tunnel's parts of one node (issue 17), from its config: as a gateway, the Linux side
 * ({@link GatewayScript}) and the record it publishes and the probes it answers; as a full-tunnel
 * client, the {@link GatewayChooser} the controller steers to. {@link #start} and {@link #stop} run
 * on the node's loop; {@link #undo} after it stopped.
 */
final class FullTunnel {
    private static final Logger log = LoggerFactory.getLogger(FullTunnel.class);

    private final GatewayPublisher publisher;
    private final GatewayChooser chooser;
    private final GatewayScript script;

    private FullTunnel(GatewayPublisher publisher, GatewayChooser chooser, GatewayScript script) {
        this.publisher = publisher;
        this.chooser = chooser;
        this.script = script;
    }

    /**
     * Builds the parts and, for a gateway, sets its Linux side up (the call that may fail: the
     * exception says what to do). {@code group}: the group's name, which names the records' key.
     */
    static FullTunnel of(NodeConfig config, RingNode ring, Scheduler scheduler, String group) throws IOException {
        DhtGatewayRecords records = new DhtGatewayRecords(ring.dht(), group, ring.metrics());
        BiConsumer<RingAddress, byte[]> send = (to, payload) -> ring.send(to, RoutingMode.EXACT, PayloadTypes.GATEWAY_PROBE,
                payload, false);
        GatewayConfig g = config.gateway();
        GatewayPublisher publisher = null;
        GatewayScript script = null;
        if (g != null && g.on()) {
            MacAddress mac = NodeSwitchSettings.gatewayMac(ring.address());
            script = new GatewayScript(GatewayScript.locate(g), config.bridge(), g, mac, config.tunnel().vpnSubnet(),
                    config.tunnel().vpnPrefix6());
            try {
                script.up();
            } catch (IOException e) {
                throw new IOException("this site cannot be a gateway: " + e.getMessage() + ". The gateway needs root (or "
                        + "CAP_NET_ADMIN) in the bridge's namespace, ovs-vsctl and nft; what was set up is taken down by `"
                        + String.join(" ", script.command("down")) + "`", e);
            }
            log.info("gateway: port {} ({}, {}) on bridge {}, forwarding on, table ringswitch_gw masquerades {} out of {}, "
                    + "DNS to {} goes to {}", g.port(), mac, g.address(), config.bridge().name(), config.tunnel().subnet(),
                    g.uplink(), g.address(), g.resolver());
            if (g.ipv6()) {
                log.info("gateway: IPv6 {} on port {}, table ringswitch_gw6 masquerades {} out of {}", g.address6(), g.port(),
                        config.tunnel().ipv6Prefix(), g.uplink());
            }
            publisher = new GatewayPublisher(records, scheduler, System::currentTimeMillis, portBytes(g.port()),
                    new GatewayRecord(config.name(), ring.address(), mac.getLong(), g.addressValue(), g.ipv6(), 0, 0, false),
                    ring.metrics());
        }
        TunnelConfig t = config.tunnel();
        GatewayChooser chooser = null;
        if (t != null && t.full()) {
            chooser = new GatewayChooser(ring.address(), scheduler, records::read, send, new SecureRandom()::nextLong,
                    t.randomChoice(), t.probeSeconds() * 1000L, ring.metrics());
            log.info("full tunnel: uplink {}, the node's own traffic on {}, gateway chosen by {} among those of group {}, "
                    + "probed every {} s; Internet-bound frames dropped while none answers", t.uplink(), t.local(), t.choice(),
                    group, t.probeSeconds());
        }
        ring.register(PayloadTypes.GATEWAY_PROBE, new GatewayProbes(publisher, chooser, send, ring.metrics()));
        GatewayMetrics.register(ring.metrics(), chooser, publisher);
        return new FullTunnel(publisher, chooser, script);
    }

    /**
     * Warns when this node is configured as a gateway but its certificate does not grant the
     * gateway role ({@link NodeRoles#GATEWAY}): every member would refuse its gateway records.
     */
    static void warnWithoutRole(NodeConfig config, NodeIdentity identity) {
        if (identity == null || config.gateway() == null || !config.gateway().on()) {
            return;
        }
        try {
            if (!NodeRoles.of(identity.certificate().certificate()).contains(NodeRoles.GATEWAY)) {
                log.warn("gateway: this node's certificate does not grant the role '{}': every member refuses its "
                        + "gateway records (counter dht.record.noRole) and no client will choose it; have the CA issue "
                        + "it with `ringswitch ca issue --role {}`", NodeRoles.GATEWAY, NodeRoles.GATEWAY);
            }
        } catch (NodeCertificate.CertificateRejected e) {
            log.warn("gateway: this node's certificate names roles that do not parse: {}", e.getMessage());
        }
    }

    /** Bytes through the gateway port so far, both ways, as the kernel counts them (0 when unreadable). */
    private static LongSupplier portBytes(String port) {
        Path stats = Path.of("/sys/class/net", port, "statistics");
        return () -> {
            try {
                return Long.parseLong(Files.readString(stats.resolve("rx_bytes")).trim())
                        + Long.parseLong(Files.readString(stats.resolve("tx_bytes")).trim());
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        };
    }

    /** The chooser, null unless this site is a full-tunnel client. */
    GatewayChooser chooser() {
        return chooser;
    }

    void start() {
        if (publisher != null) {
            publisher.start();
        }
        if (chooser != null) {
            chooser.start();
        }
    }

    /** Stops probing and publishing; a gateway puts its withdrawn record. */
    void stop() {
        if (chooser != null) {
            chooser.stop();
        }
        if (publisher != null) {
            publisher.stop();
        }
    }

    /** Takes the gateway's Linux side down (nothing for a client). */
    void undo() {
        if (script == null) {
            return;
        }
        try {
            script.down();
            log.info("gateway: port, forwarding rules and table ringswitch_gw removed");
        } catch (IOException e) {
            log.warn("gateway: could not take the Linux side down ({}); run `{}` by hand", e.getMessage(),
                    String.join(" ", script.command("down")));
        }
    }
}
