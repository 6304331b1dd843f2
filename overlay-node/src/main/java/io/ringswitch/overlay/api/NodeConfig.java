package io.ringswitch.overlay.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's configuration, read from YAML. Unknown keys are errors (a typo must not be ignored).
 *
 * <pre>
 * name: site1                      # shown in status and sent to peers
 * listen: 0.0.0.0:5800             # UDP address of the overlay
 * bootstrap: [192.0.2.2:5800]      # nodes to join the ring through (none: start a new ring)
 * ring: {shortcuts: 4}             # Symphony shortcuts per node
 * underlayMtu: 1500                # MTU of the path between sites
 * tap: {name: rs0, mtu: 1380, offloads: true}  # the overlay port; offloads: TSO super-frames and
 *                                  # checksums left to the node (IFF_VNET_HDR); false: frame by frame
 * bridge: {name: br0, ovsdb: unix:/var/run/openvswitch/db.sock}
 * controller: 127.0.0.1:6653       # where the bridge connects for OpenFlow
 * statusFile: /run/ringswitch/site1.json
 * identity: {certificate: site1.crt, key: site1.key, ca: ca.crt}   # from ringswitch ca; the ring
 *                                  # address is then the certificate key's (else SHA-1 of the name)
 * multicast: {querier: true, queryIntervalSeconds: 125}  # IGMP/MLD querier when the LAN has none
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record NodeConfig(String name, String listen, List<String> bootstrap, Ring ring, Integer underlayMtu, Tap tap,
                         Bridge bridge, String controller, String statusFile, Identity identity,
                         Multicast multicast) {

    /**
     * Bytes a frame gains on the underlay: IPv4 20, UDP 8, envelope 8, record header 12 and tag 16,
     * routed ring header {@value RingMessageCodec#ROUTED_HEADER}, Ethernet 14, one VLAN tag 4.
     */
    public static final int OVERHEAD = 20 + 8 + 8 + 12 + 16 + RingMessageCodec.ROUTED_HEADER + 14 + 4;

    /** Ring settings. */
    public record Ring(Integer shortcuts) {
    }

    /** The overlay port; {@code offloads} is true unless turned off. */
    public record Tap(String name, Integer mtu, Boolean offloads) {
        public boolean offloadsOn() {
            return offloads == null || offloads;
        }
    }

    /** The node's certificate, key and the group's CA certificate (PEM files, from {@code ringswitch ca}). */
    public record Identity(String certificate, String key, String ca) {
    }

    /**
     * Multicast: whether the node queries its LAN for members when no other querier is heard, and
     * how often (RFC 3376 §8.2: 125 s unless set).
     */
    public record Multicast(Boolean querier, Integer queryIntervalSeconds) {
        public boolean querierOn() {
            return querier == null || querier;
        }

        public int intervalSeconds() {
            return queryIntervalSeconds == null ? 125 : queryIntervalSeconds;
        }
    }

    /** The OVS bridge the overlay port joins; {@code ovsdb} is empty for the system's default database. */
    public record Bridge(String name, String ovsdb) {
    }

    /** The overlay port's MTU unless configured: room for the ring header under a 1500-byte underlay. */
    public static final int DEFAULT_MTU = 1360;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and checks a config file; the exception says which field is wrong and why. */
    public static NodeConfig load(Path file) throws ConfigException {
        NodeConfig raw;
        try {
            raw = YAML.readValue(Files.readString(file), NodeConfig.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        if (raw == null) {
            throw new ConfigException(file + ": the file is empty");
        }
        return raw.checked(file.toString());
    }

    /** Fills defaults and checks every field. */
    public NodeConfig checked(String where) throws ConfigException {
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("name: 1 to 64 of A-Z a-z 0-9 . _ - (got " + name + ")");
        }
        tryEndpoint("listen", listen, problems);
        List<String> peerList = bootstrap == null ? List.of() : bootstrap;
        for (String peer : peerList) {
            tryEndpoint("bootstrap", peer, problems);
        }
        int shortcuts = ring == null || ring.shortcuts() == null ? RingConfig.defaults().shortcuts() : ring.shortcuts();
        if (shortcuts < 0 || shortcuts > 16) {
            problems.add("ring.shortcuts: 0 to 16 (got " + shortcuts + ")");
        }
        int underlay = underlayMtu == null ? 1500 : underlayMtu;
        if (underlay < 576 || underlay > 65535) {
            problems.add("underlayMtu: between 576 and 65535 (got " + underlay + ")");
        }
        Tap t = tap == null ? new Tap("rs0", null, null) : tap;
        int mtu = t.mtu() == null ? Math.min(DEFAULT_MTU, underlay - OVERHEAD) : t.mtu();
        if (t.name() == null || t.name().isEmpty() || t.name().length() > 15) {
            problems.add("tap.name: 1 to 15 characters (got " + t.name() + ")");
        }
        if (mtu < 576 || mtu + OVERHEAD > underlay) {
            problems.add("tap.mtu: " + mtu + " leaves no room for the " + OVERHEAD
                    + " bytes of encapsulation under underlayMtu " + underlay + "; use at most " + (underlay - OVERHEAD));
        }
        if (bridge == null || bridge.name() == null || bridge.name().isEmpty()) {
            problems.add("bridge.name: the OVS bridge the overlay port joins is required");
        }
        if (identity != null && (identity.certificate() == null || identity.key() == null || identity.ca() == null)) {
            problems.add("identity: certificate, key and ca are all needed");
        }
        Multicast m = multicast == null ? new Multicast(null, null) : multicast;
        if (m.intervalSeconds() < 2 || m.intervalSeconds() > 3600) {
            problems.add("multicast.queryIntervalSeconds: 2 to 3600 (got " + m.intervalSeconds() + ")");
        }
        String controllerAddress = controller == null ? "127.0.0.1:6653" : controller;
        tryEndpoint("controller", controllerAddress, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(where + ": " + String.join("; ", problems));
        }
        return new NodeConfig(name, listen, List.copyOf(peerList), new Ring(shortcuts), underlay, new Tap(t.name(), mtu, t.offloadsOn()),
                new Bridge(bridge.name(), bridge.ovsdb() == null ? "" : bridge.ovsdb()), controllerAddress, statusFile, identity,
                new Multicast(m.querierOn(), m.intervalSeconds()));
    }

    public InetSocketAddress listenAddress() {
        return Endpoints.parse(listen);
    }

    public InetSocketAddress controllerAddress() {
        return Endpoints.parse(controller);
    }

    public List<InetSocketAddress> bootstrapAddresses() {
        return bootstrap.stream().map(Endpoints::parse).toList();
    }

    /** The ring settings, defaults filled in. */
    public RingConfig ringConfig() {
        return RingConfig.defaults().withShortcuts(ring.shortcuts());
    }

    private static void tryEndpoint(String field, String value, List<String> problems) {
        try {
            Endpoints.parse(value);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
        }
    }

    /** A configuration that cannot be used, with the reason. */
    public static final class ConfigException extends Exception {
        public ConfigException(String message) {
            super(message);
        }
    }
}
