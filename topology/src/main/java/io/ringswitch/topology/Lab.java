package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * A running lab: an underlay namespace with a Linux bridge, one namespace per site (its own OVS
 * instance, bridge {@value #BRIDGE} and RingSwitch node process), and host namespaces attached to
 * the site bridges by veth pairs. Everything it creates is written to a state file first, so
 * {@link #down} removes it all, even after the process that built it died.
 *
 * <p>The façade that commands and tests use; the work is done by {@link Underlay} (namespaces and
 * links), {@link OvsInstances}, {@link NodeProcesses}, {@link LabLedger} and {@link Teardown}
 * (state and removal), {@link HostProbes} and {@link SiteHealth} (what the lab shows); {@link LabBuilder}
 * builds it.
 */
public final class Lab {
    public static final String BRIDGE = "rsbr";
    public static final String TAP = "rs0";
    public static final int NODE_PORT = 5800;
    /** Where a private group's site listens for the public ring it finds its group through (issue 19). */
    public static final int PUBLIC_PORT = 5801;
    public static final Path RUN_ROOT = Path.of("/run/ringswitch");

    /** What {@link #up} waits for before it hands the lab over. */
    public enum Readiness {
        /** Every node runs, controls its bridge and joined, and the ring is consistent (crawl 1.0). */
        RING,
        /**
         * Every node runs and controls its bridge, and the open sites joined; whether the sites
         * behind NATs and firewalls join, and how, is left to the caller. For labs with NATs and
         * firewalls, where that is what is being measured.
         */
        RUNNING
    }

    private final LabSpec spec;
    private final Path runDir;
    private final Consumer<String> progress;
    private final LabLedger ledger;
    private final OvsInstances ovs;
    private final NodeProcesses nodes;
    private final HostProbes probes;
    private final Path home;
    private final LinkWatch links = new LinkWatch();
    private final LabReadiness readinessCheck;

    private Lab(LabSpec spec, Path home, Consumer<String> progress) {
        this.spec = spec;
        this.home = home;
        this.runDir = RUN_ROOT.resolve(spec.name());
        this.progress = progress;
        this.ledger = new LabLedger(spec, runDir);
        this.ovs = new OvsInstances(home);
        this.nodes = new NodeProcesses(spec, ledger, runDir, this::siteDir, home);
        this.probes = new HostProbes(spec, this::siteDir);
        this.readinessCheck = new LabReadiness(spec, nodes);
    }

    public LabSpec spec() {
        return spec;
    }

    /** The RingSwitch checkout the lab runs from (its {@code ovs-scripts/}). */
    public Path home() {
        return home;
    }

    public Path runDir() {
        return runDir;
    }

    /** Where the node of {@code site} records payloads when the lab came up {@link #upRecordingPayloads recording}. */
    public Path payloadRecord(int site) {
        return siteDir(site).resolve(NodeProcesses.PAYLOAD_RECORD);
    }

    /** The directory of one site: its OVS files, node config, log and status file. */
    public Path siteDir(int site) {
        return runDir.resolve("s" + site);
    }

    /**
     * Builds the lab and waits until every node controls its bridge and hears every peer.
     * On failure, removes what was built and throws with the reason and the log to read.
     *
     * @param home the RingSwitch checkout (for {@code ovs-scripts/})
     */
    public static Lab up(LabSpec spec, Path home, Consumer<String> progress) throws IOException, InterruptedException {
        return up(spec, home, progress, Readiness.RING, Duration.ofSeconds(90));
    }

    /**
     * As {@link #up(LabSpec, Path, Consumer)}, waiting for {@code readiness} for up to {@code limit}.
     */
    public static Lab up(LabSpec spec, Path home, Consumer<String> progress, Readiness readiness, Duration limit)
            throws IOException, InterruptedException {
        return up(spec, home, progress, readiness, limit, false);
    }

    /**
     * As {@link #up(LabSpec, Path, Consumer)}, with every node's test hook on that records what the
     * node can read of the ring's routing: every routed payload it forwards or takes in and every
     * frame it opens from the ring, in {@link #payloadRecord} of its site. For the security demo's
     * insider case only: no other lab turns it on.
     */
    public static Lab upRecordingPayloads(LabSpec spec, Path home, Consumer<String> progress)
            throws IOException, InterruptedException {
        return up(spec, home, progress, Readiness.RING, Duration.ofSeconds(90), true, site -> null);
    }

    /**
     * As {@link #up(LabSpec, Path, Consumer)}, with {@code siteConfig}'s line (null: none) added to
     * each site's node config before its node first starts (see {@link #addConfig}), so that a
     * test needs no restart to give its nodes a setting the lab does not write itself.
     */
    public static Lab up(LabSpec spec, Path home, Consumer<String> progress, java.util.function.IntFunction<String> siteConfig)
            throws IOException, InterruptedException {
        return up(spec, home, progress, Readiness.RING, Duration.ofSeconds(90), false, siteConfig);
    }

    private static Lab up(LabSpec spec, Path home, Consumer<String> progress, Readiness readiness, Duration limit,
                          boolean recordPayloads) throws IOException, InterruptedException {
        return up(spec, home, progress, readiness, limit, recordPayloads, site -> null);
    }

    private static Lab up(LabSpec spec, Path home, Consumer<String> progress, Readiness readiness, Duration limit,
                          boolean recordPayloads, java.util.function.IntFunction<String> siteConfig)
            throws IOException, InterruptedException {
        Preflight.check(home, spec);
        if (Files.exists(RUN_ROOT.resolve(spec.name()).resolve(LabState.FILE)) || !Teardown.leftovers(spec).isEmpty()) {
            progress.accept("removing an earlier lab '" + spec.name() + "' first");
            down(spec.name(), progress);
        }
        Lab lab = new Lab(spec, home, progress);
        if (recordPayloads) {
            lab.nodes.recordPayloads();
        }
        for (int site = 1; site <= spec.sites(); site++) {
            String line = siteConfig.apply(site);
            if (line != null) {
                lab.nodes.addConfig(site, line);
            }
        }
        try {
            new LabBuilder(lab, lab.ledger, lab.ovs, lab.nodes, progress).build();
            lab.awaitReady(limit, readiness);
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            progress.accept("lab failed to come up; removing it (logs were in " + lab.runDir + ")");
            Teardown.saveLogs(spec, lab.runDir, progress);
            down(spec.name(), progress);
            throw e;
        }
    }

    /** Puts the underlay NIC of full-tunnel site {@code site} on its bridge, its address on the local port. */
    void attachUplink(int site) throws IOException {
        ovs.attachUplink(spec.siteNamespace(site), siteDir(site), spec.siteUnderlayIp(site) + "/24", LabSpec.INTERNET_UNDERLAY_IP);
    }

    /**
     * Restarts the Open vSwitch of {@code site} as an operator would: its flows are gone until the
     * node's controller writes them again; a full-tunnel site's local port gets its address back.
     */
    public void restartOvs(int site) throws IOException {
        ovs.restart(spec.siteNamespace(site), siteDir(site), spec.offloads());
        if (spec.fullTunnel(site)) {
            attachUplink(site);
        }
    }

    /** The requests the lab's internet servers saw so far, each with the source address they saw. */
    public List<io.ringswitch.topology.internet.InternetLog.Entry> internetRequests() throws IOException {
        return io.ringswitch.topology.internet.InternetLog.read(Internet.requestLog(runDir));
    }

    /**
     * Adds a line to the node config of {@code site}, used from its next start on: a section the
     * lab does not write itself, such as the {@code renewal:} of a site enrolled through the group
     * server (issue 19).
     */
    public void addConfig(int site, String line) {
        nodes.addConfig(site, line);
    }

    /** Writes the site's node config and starts its node process inside the site namespace. */
    public void startNode(int site) throws IOException {
        links.started(site);
        nodes.start(site);
    }

    /** Whether full-tunnel site {@code site}'s node says {@code ipv6: carry} (else drop) from its next {@link #startNode} on. */
    public void carryIpv6(int site, boolean carry) {
        nodes.carryIpv6(site, carry);
    }

    /**
     * Changes the NAT of a site behind one into another NAT kind, as if its router restarted with
     * new rules: the ruleset is replaced and the mappings made under the old one are flushed (the
     * site's flows get new mappings with their next packets). Only NAT kinds swap among themselves.
     */
    public void changeNat(int site, SiteEdge to) throws IOException {
        EdgeRouter.change(spec, site, to);
        progress.accept("site " + site + ": router " + spec.routerNamespace(site) + " now " + to);
    }

    /**
     * Reads every site's status and notes the links it shows for the first time: what
     * {@link #linkSetupMillis} reports. {@link #awaitReady} calls it on every look; callers that
     * wait for links call it as they poll.
     */
    public void watchLinks() {
        links.watch(health());
    }

    /**
     * The NAT mappings the router of {@code site} holds for the site's own flows, from its conntrack
     * table: which public source each private source got towards each destination.
     */
    public List<EdgeRouter.Mapping> natMappings(int site) throws IOException {
        return EdgeRouter.mappings(spec, site);
    }

    /** How long after its node started a site was first seen joined (see {@link #watchLinks}); empty if not yet. */
    public OptionalLong joinMillis(int site) {
        return links.joinMillis(site);
    }

    /** See {@link LinkWatch#setupMillis}. */
    public OptionalLong linkSetupMillis(int a, String addressA, int b, String addressB) {
        return links.setupMillis(a, addressA, b, addressB);
    }

    /** Stops one site's node (SIGTERM, then SIGKILL; or SIGKILL at once), as an operator or a crash would. */
    public void stopNode(int site, boolean kill) throws IOException, InterruptedException {
        nodes.stop(site, kill);
    }

    /**
     * Waits until every node the lab runs is up, controls its bridge, knows its overlay port and
     * has joined, and the ring of the nodes that are up is consistent. Sites whose node was
     * stopped are left out; sites with a bad credential ({@link LabSpec#member}) only have to be up.
     */
    public void awaitReady(Duration limit) throws IOException, InterruptedException {
        awaitReady(limit, Readiness.RING);
    }

    /** As {@link #awaitReady(Duration)}, for {@code readiness}. */
    public void awaitReady(Duration limit, Readiness readiness) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String waitingFor = "";
        while (System.nanoTime() < deadline) {
            List<SiteHealth> sites = health();
            links.watch(sites);
            waitingFor = readinessCheck.notReady(sites, readiness);
            if (waitingFor.isEmpty() && readiness == Readiness.RUNNING) {
                progress.accept("all running nodes control their bridges; the open sites joined");
                return;
            }
            if (waitingFor.isEmpty()) {
                long bad = ledger.nodes().keySet().stream().filter(s -> !spec.member(s)).count();
                progress.accept("all " + (ledger.nodes().size() - bad) + " running nodes control their bridges; "
                        + "the ring is consistent (crawl 1.0)"
                        + (bad == 0 ? "" : "; " + bad + " node(s) with a deliberately bad certificate run too"));
                return;
            }
            Optional<Integer> exited = nodes.firstExited();
            if (exited.isPresent()) {
                Path log = siteDir(exited.get()).resolve("node.log");
                throw new IOException("the node of site " + exited.get() + " exited; see " + log + ":\n"
                        + Teardown.tail(log));
            }
            Thread.sleep(250);
        }
        throw new IOException("lab not ready after " + limit.toSeconds() + " s: " + waitingFor);
    }

    /** Whether each site's node is up now, and why not. */
    public List<SiteHealth> health() {
        return SiteHealth.of(runDir, spec.sites());
    }

    /** Whether one site's node is up now, and why not. */
    public SiteHealth health(int site) {
        return SiteHealth.of(runDir, site, System.currentTimeMillis());
    }

    /**
     * The crawl over the nodes that are up: are first and second neighbours on both sides right?
     * Sites with a deliberately bad credential are left out: the ring is not meant to hold them.
     * In a lab with private groups, the public sites' ({@link #crawl(List)} for a group's ring; the
     * public ring also holds the private sites' public nodes, which readiness checks from their status).
     */
    public Crawl.Result crawl() {
        return crawl(spec.rings().get(0));
    }

    /** The crawl over the nodes that are up among {@code ring}'s sites (one of {@link LabSpec#rings()}). */
    public Crawl.Result crawl(List<Integer> ring) {
        return SiteHealth.crawl(readinessCheck.members(health()).stream().filter(site -> ring.contains(site.site())).toList());
    }

    /** The crawl over the nodes that are up in the lab whose run directory is {@code dir}. */
    public static Crawl.Result crawl(Path dir, int sites) {
        return SiteHealth.crawl(SiteHealth.of(dir, sites));
    }

    /** The node's control socket ({@code ringswitch status --socket PATH}). */
    public Path controlSocket(int site) {
        return NodeProcesses.controlSocket(siteDir(site));
    }

    /** The node's last status file, if it wrote one, whether or not the node is still up. */
    public Optional<NodeStatus> nodeStatus(int site) {
        return NodeStatus.read(siteDir(site).resolve("status.json"));
    }

    /** Runs a command in a namespace of this lab. */
    public Shell.Result exec(String namespace, Duration limit, String... command) throws IOException {
        return probes.exec(namespace, limit, command);
    }

    /** Pings from one host to another host's address. */
    public Ping ping(int fromSite, int fromHost, int toSite, int toHost, int count, double interval) throws IOException {
        return probes.ping(fromSite, fromHost, toSite, toHost, count, interval);
    }

    /** The MAC a host has in its neighbour table for another host, if any. */
    public Optional<String> neighbourMac(int fromSite, int fromHost, int toSite, int toHost) throws IOException {
        return probes.neighbourMac(fromSite, fromHost, toSite, toHost);
    }

    /** TCP throughput in Mbit/s from one host to another, measured by iperf3 for {@code seconds}. */
    public double iperf(int fromSite, int fromHost, int toSite, int toHost, int seconds) throws IOException, InterruptedException {
        return probes.iperf(fromSite, fromHost, toSite, toHost, seconds);
    }

    /** As {@link #iperf(int, int, int, int, int)}, with options for the iperf3 client ({@code -b 100M}, ...). */
    public double iperf(int fromSite, int fromHost, int toSite, int toHost, int seconds, String... clientOptions)
            throws IOException, InterruptedException {
        return probes.iperf(fromSite, fromHost, toSite, toHost, seconds, clientOptions);
    }

    /** Copies the sites' logs and status files out of the run directory before it goes; returns where to. */
    public Path saveLogs() {
        return Teardown.saveLogs(spec, runDir, progress);
    }

    /** Removes the lab {@code name}: node processes, OVS instances, namespaces and its run directory. */
    public static void down(String name, Consumer<String> progress) throws InterruptedException {
        Teardown.down(name, progress);
    }

    public void down() throws InterruptedException {
        down(spec.name(), progress);
    }
}
