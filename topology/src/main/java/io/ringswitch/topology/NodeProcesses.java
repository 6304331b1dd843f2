package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The sites' RingSwitch node processes: each gets a config file in its site directory and runs in
 * its own JVM inside the site namespace, sized for many nodes on one small machine. Started nodes
 * are entered in the ledger at once.
 */
final class NodeProcesses {
    private final LabSpec spec;
    private final LabLedger ledger;
    private final IntFunction<Path> siteDir;
    private final SiteCertificates certificates;
    /** Config lines added to a site's node config, e.g. a {@code renewal:} section (see {@link Lab#addConfig}). */
    private final java.util.Map<Integer, List<String>> extraLines = new java.util.concurrent.ConcurrentHashMap<>();

    /** Full-tunnel sites whose next config says {@code ipv6: carry} (the default is drop). */
    private final java.util.Set<Integer> ipv6Carried = new java.util.HashSet<>();
    private boolean recordPayloads;
    private final Path home;

    /**
     * @param home the RingSwitch checkout whose build the nodes run: this process's own classes
     *             when it is this process's checkout, else that checkout's built jars (a baseline
     *             build for {@code bench --peers}, see {@link #classpath})
     */
    NodeProcesses(LabSpec spec, LabLedger ledger, Path runDir, IntFunction<Path> siteDir, Path home) {
        this.home = home;
        this.spec = spec;
        this.ledger = ledger;
        this.siteDir = siteDir;
        this.certificates = new SiteCertificates(spec, runDir);
    }

    /**
     * Turns on the nodes' test hook that records every routed payload they forward or take in and
     * every frame they open from the ring ({@value #RECORD_PROPERTY}), into {@value #PAYLOAD_RECORD}
     * in the site's directory, from their next start on. For the security demo's insider case only.
     */
    void recordPayloads() {
        recordPayloads = true;
    }

    /** Whether the full-tunnel site's node carries IPv6 from its next start on. */
    void carryIpv6(int site, boolean carry) {
        if (carry) {
            ipv6Carried.add(site);
        } else {
            ipv6Carried.remove(site);
        }
    }

    /** Writes the site's node config and starts its node; the node's output goes to {@code node.log}. */
    void start(int site) throws IOException {
        Path dir = siteDir.apply(site);
        Path config = writeConfig(site, dir);
        Files.deleteIfExists(dir.resolve("status.json"));
        List<String> command = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", spec.siteNamespace(site)));
        command.addAll(javaCommand(home, spec.encrypted() && spec.credential(site).unverified(),
                recordPayloads ? dir.resolve(PAYLOAD_RECORD) : null));
        command.addAll(List.of("--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(NODE_ENVIRONMENT);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
                .start();
        ledger.nodeStarted(site, process.pid());
    }

    /** Stops a site's node: SIGTERM (then SIGKILL if it lingers), or SIGKILL at once as a crash would. */
    void stop(int site, boolean kill) throws IOException, InterruptedException {
        Optional<Long> pid = ledger.nodeStopped(site);
        if (pid.isPresent()) {
            terminate(pid.get(), kill);
        }
    }

    /** The first site, in site order, whose node this lab started and whose process has ended. */
    Optional<Integer> firstExited() {
        return ledger.nodes().entrySet().stream()
                .filter(node -> ProcessHandle.of(node.getValue()).map(p -> !p.isAlive()).orElse(true))
                .map(Map.Entry::getKey)
                .sorted()
                .findFirst();
    }

    /** Whether the lab runs a node at this site now (it was not stopped). */
    boolean running(int site) {
        return ledger.nodes().containsKey(site);
    }

    /** The certificate file of the node of {@code site} (made on first use). */
    Path certificate(int site) throws IOException {
        return Path.of(certificates.identity(site, siteDir.apply(site)).certificate());
    }

    /** Adds {@code line} to the node config of {@code site} from its next start on. */
    void addConfig(int site, String line) {
        extraLines.computeIfAbsent(site, s -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(line);
    }

    /** Writes the node config of {@code site} into {@code dir}; returns the file. */
    Path writeConfig(int site, Path dir) throws IOException {
        // Every site knows one bootstrap address: site 1's. Site 1 starts the ring; after a restart
        // it rejoins through site 2.
        String bootstrap = site != 1 ? spec.siteUnderlayIp(1) + ":" + Lab.NODE_PORT
                : ledger.anyNodeStarted() ? spec.siteUnderlayIp(2) + ":" + Lab.NODE_PORT : "";
        // A private group's site knows no member of its group: it finds them through the public ring.
        String group = spec.privateGroup(site);
        if (group != null) {
            bootstrap = "";
        }
        List<String> lines = new ArrayList<>(List.of(
                "name: site" + site,
                "listen: " + spec.siteListenIp(site) + ":" + Lab.NODE_PORT,
                "bootstrap: [" + bootstrap + "]",
                "underlayMtu: " + spec.underlayMtu(),
                "tap: {name: " + Lab.TAP + ", mtu: " + spec.overlayMtu() + ", offloads: " + spec.offloads() + "}",
                "bridge: {name: " + Lab.BRIDGE + ", ovsdb: 'unix:" + dir.resolve("db.sock") + "'}",
                "controller: " + OvsInstances.controllerTarget(dir),
                "statusFile: " + dir.resolve("status.json"),
                "controlSocket: " + controlSocket(dir),
                "dhcp: {subnet: " + LabSpec.HOST_SUBNET + ", pool: " + LabSpec.DHCP_POOL + ", leaseSeconds: "
                        + LabSpec.DHCP_LEASE_SECONDS + (spec.hasInternet() ? ", router: " + LabSpec.ROUTER_IP + ", dns: ["
                        + LabSpec.ROUTER_IP + "]" : "") + "}"));
        lines.addAll(tunnelLines(spec, site, ipv6Carried.contains(site) ? "carry" : "drop"));
        if (spec.shortcuts() != null) {
            lines.add("ring: {shortcuts: " + spec.shortcuts() + "}");
        }
        if (spec.relayChoice() != null) {
            lines.add("nat: {relayChoice: " + spec.relayChoice() + "}");
        }
        if (spec.encrypted()) {
            NodeConfig.Identity id = certificates.identity(site, dir);
            lines.add("identity: {certificate: " + id.certificate() + ", key: " + id.key() + ", ca: " + id.ca() + "}");
        }
        if (group != null) {
            NodeConfig.Identity pub = certificates.publicIdentity(site, dir);
            lines.add("public: {listen: " + spec.siteListenIp(site) + ":" + Lab.PUBLIC_PORT + ", bootstrap: ["
                    + spec.siteUnderlayIp(1) + ":" + Lab.NODE_PORT + ", " + spec.siteUnderlayIp(2) + ":" + Lab.NODE_PORT
                    + "], readSeconds: 2, identity: {certificate: " + pub.certificate() + ", key: " + pub.key() + ", ca: "
                    + pub.ca() + "}}");
        }
        lines.addAll(extraLines.getOrDefault(site, List.of()));
        lines.add("");
        Path config = dir.resolve("node.yaml");
        Files.writeString(config, String.join("\n", lines));
        return config;
    }

    /**
     * The full-tunnel part of a site's node config (issue 17): a gateway's port, address and
     * resolver; a full-tunnel client's uplink and local port (made by {@code ovs-scripts/uplink.sh}
     * before the node starts); and, in every lab with an internet, the DNS domain the site answers
     * host names of (the lab's group, {@code lab-NAME}). Gateways carry IPv6 (NAT66 of
     * {@link LabSpec#VPN_IPV6_PREFIX}); a client carries or drops it by {@code ipv6} ({@code drop} or {@code carry}).
     */
    static List<String> tunnelLines(LabSpec spec, int site, String ipv6) {
        List<String> lines = new ArrayList<>();
        if (spec.gateway(site)) {
            lines.add("gateway: {enabled: true, uplink: " + Underlay.WAN + ", port: " + LabSpec.GATEWAY_PORT + ", address: "
                    + spec.gatewayVpnIp(site) + ", resolver: " + LabSpec.INTERNET_DNS_IP + ", ipv6: true, address6: '"
                    + spec.gatewayVpnIp6(site) + "'}");
            lines.add("tunnel: {ipv6Prefix: '" + LabSpec.VPN_IPV6_PREFIX + "'}");
        }
        if (spec.fullTunnel(site)) {
            lines.add("tunnel: {mode: full, uplink: " + Underlay.WAN + ", local: " + LabSpec.LOCAL_PORT
                    + ", allowLan: false, ipv6: " + ipv6 + ", choice: latency, probeSeconds: 1, ipv6Prefix: '"
                    + LabSpec.VPN_IPV6_PREFIX + "'}");
        }
        if (spec.hasInternet()) {
            lines.add("dns: {domain: " + SiteCertificates.group(spec) + "}");
        }
        return lines;
    }

    /** Ends a process: SIGTERM and up to 5 s for it to go, then SIGKILL; or SIGKILL at once. */
    static void terminate(long pid, boolean kill) throws InterruptedException {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        if (kill) {
            handle.get().destroyForcibly();
        } else {
            handle.get().destroy();
        }
        for (int i = 0; i < 100 && handle.get().isAlive(); i++) {
            Thread.sleep(50);
        }
        if (handle.get().isAlive()) {
            handle.get().destroyForcibly();
            Thread.sleep(100);
        }
    }

    /**
     * The environment a node runs with: two malloc arenas instead of one per thread and core,
     * which keeps native memory (and so the node's RSS) small.
     */
    static final java.util.Map<String, String> NODE_ENVIRONMENT = java.util.Map.of("MALLOC_ARENA_MAX", "2");

    /**
     * The command line that starts a node in its own JVM, with the JVM options every node runs
     * with ({@code overlay-node/jvm/node.options}, the file {@code ./ringswitch node} uses too), those
     * of this JVM's version where it needs more ({@link NodeJvm}), extra options from
     * {@value NodeJvm#OPTIONS_VARIABLE}, and the build's class archive or AOT cache when it fits this
     * JVM and its class path ({@link NodeClassArchive}). The node runs on this process's own JDK,
     * which the launcher chose ({@code RINGSWITCH_JAVA}, else a JDK 25 or newer, else Debian's 17).
     *
     * @param unverified whether the node loads its identity without checking its own certificate
     *                   (the security demo's deliberately bad nodes, which would not start otherwise)
     * @param record     where the node's payload-recording test hook writes, or null for off (the default)
     */
    static List<String> javaCommand(Path home, boolean unverified, Path record) {
        return javaCommand(home, unverified, record, NodeJvm.current(), System.getenv(NodeJvm.OPTIONS_VARIABLE));
    }

    /** As above, for a JVM of {@code jvm}'s version and with {@code extraOptions} (null for none). */
    static List<String> javaCommand(Path home, boolean unverified, Path record, NodeJvm jvm, String extraOptions) {
        List<String> command = new ArrayList<>(List.of(jvm.java().toString(),
                "@" + home.resolve("overlay-node/jvm/node.options")));
        command.addAll(jvm.versionOptions(home));
        List<String> extra = NodeJvm.split(extraOptions);
        command.addAll(extra);
        if (unverified) {
            command.add("-D" + UNVERIFIED_PROPERTY + "=true");
        }
        if (record != null) {
            command.add("-D" + RECORD_PROPERTY + "=" + record);
        }
        String classPath = classpath(home);
        if (!NodeJvm.choosesArchive(extra)) {
            command.addAll(jvm.archiveOptions(home, classPath));
        }
        command.addAll(List.of("-cp", classPath, "io.ringswitch.overlay.NodeCommand"));
        return command;
    }

    /**
     * The classes a node of {@code home} runs: this process's own when {@code home} is its checkout,
     * else the jars {@code ./ringswitch build} left in that checkout ({@code topology/target}).
     */
    static String classpath(Path home) {
        if (home.toAbsolutePath().normalize().equals(Preflight.home().toAbsolutePath().normalize())) {
            return System.getProperty("java.class.path");
        }
        Path target = home.resolve("topology/target");
        return target.resolve("topology-0.1.0-SNAPSHOT.jar") + ":" + target.resolve("lib") + "/*";
    }

    /** The system property that tells a node not to check its own certificate (read by the overlay node). */
    static final String UNVERIFIED_PROPERTY = "ringswitch.identity.unverified";
    /** The system property that turns on a node's payload-recording test hook (overlay-node's PayloadRecorder). */
    static final String RECORD_PROPERTY = "ringswitch.debug.recordPayloads";
    /** The file in a site's directory that the hook writes. */
    static final String PAYLOAD_RECORD = "payloads.rec";

    /**
     * The control socket of the node whose site directory is {@code siteDir}: in a directory of its
     * own, which the node makes root's only ({@code ringswitch status --socket PATH}).
     */
    static Path controlSocket(Path siteDir) {
        return siteDir.resolve("control").resolve("node.sock");
    }
}
