package io.ringswitch.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.overlay.ring.RingAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A running lab: an underlay namespace with a Linux bridge, one namespace per site (its own OVS
 * instance, bridge {@value #BRIDGE} and RingSwitch node process), and host namespaces attached to
 * the site bridges by veth pairs. Everything it creates is written to a state file first, so
 * {@link #down} removes it all, even after the process that built it died.
 */
public final class Lab {
    public static final String BRIDGE = "rsbr";
    public static final String TAP = "rs0";
    public static final int NODE_PORT = 5800;
    public static final Path RUN_ROOT = Path.of("/run/ringswitch");
    private static final Duration CMD = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final LabSpec spec;
    private final Path runDir;
    private final Path home;
    private final Consumer<String> progress;
    private final Map<Integer, Long> nodePids = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();
    private boolean userspaceDatapath = true;

    private Lab(LabSpec spec, Path home, Consumer<String> progress) {
        this.spec = spec;
        this.runDir = RUN_ROOT.resolve(spec.name());
        this.home = home;
        this.progress = progress;
    }

    public LabSpec spec() {
        return spec;
    }

    public Path runDir() {
        return runDir;
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
        Preflight.check(home);
        if (Files.exists(RUN_ROOT.resolve(spec.name()).resolve("state.json")) || !leftovers(spec).isEmpty()) {
            progress.accept("removing an earlier lab '" + spec.name() + "' first");
            down(spec.name(), progress);
        }
        Lab lab = new Lab(spec, home, progress);
        try {
            lab.build();
            lab.awaitReady(Duration.ofSeconds(90));
            return lab;
        } catch (IOException | InterruptedException | RuntimeException e) {
            progress.accept("lab failed to come up; removing it (logs were in " + lab.runDir + ")");
            lab.saveLogs();
            down(spec.name(), progress);
            throw e;
        }
    }

    private void build() throws IOException {
        Files.createDirectories(runDir);
        saveState();
        progress.accept("underlay network " + spec.wanNamespace());
        addNamespace(spec.wanNamespace());
        sh("ip", "-n", spec.wanNamespace(), "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", spec.wanNamespace(), "link", "set", "br0", "up");
        String ovsScript = home.resolve("ovs-scripts/ovs-instance.sh").toString();
        userspaceDatapath = Shell.run(CMD, ovsScript, "datapath").output().trim().equals("netdev");
        for (int s = 1; s <= spec.sites(); s++) {
            String ns = spec.siteNamespace(s);
            Path dir = siteDir(s);
            Files.createDirectories(dir);
            progress.accept("site " + s + "/" + spec.sites() + ": namespace " + ns + ", Open vSwitch, "
                    + spec.hostsPerSite() + " host(s)");
            addNamespace(ns);
            sh("ip", "link", "add", "wan0", "netns", ns, "mtu", Integer.toString(spec.underlayMtu()), "type", "veth",
                    "peer", "name", "s" + s, "netns", spec.wanNamespace(), "mtu", Integer.toString(spec.underlayMtu()));
            sh("ip", "-n", spec.wanNamespace(), "link", "set", "s" + s, "master", "br0", "up");
            sh("ip", "-n", ns, "addr", "add", spec.siteUnderlayIp(s) + "/24", "dev", "wan0");
            sh("ip", "-n", ns, "link", "set", "wan0", "up");
            Shell.run(CMD, Shell.inNetns(ns, ovsScript, "start", dir.toString())).orThrow();
            Shell.run(CMD, Shell.inNetns(ns, ovsScript, "bridge", dir.toString(), BRIDGE, "tcp:127.0.0.1:6653")).orThrow();
            for (int h = 1; h <= spec.hostsPerSite(); h++) {
                addHost(s, h, ovsScript, dir);
            }
        }
        for (int s = 1; s <= spec.sites(); s++) {
            startNode(s);
        }
        saveState();
    }

    private void addHost(int site, int host, String ovsScript, Path dir) throws IOException {
        String hostNs = spec.hostNamespace(site, host);
        String mtu = Integer.toString(spec.overlayMtu());
        addNamespace(hostNs);
        sh("ip", "link", "add", "h" + host, "netns", spec.siteNamespace(site), "mtu", mtu, "type", "veth",
                "peer", "name", "eth0", "netns", hostNs, "mtu", mtu);
        sh("ip", "-n", hostNs, "link", "set", "eth0", "address", spec.hostMac(site, host));
        sh("ip", "-n", hostNs, "addr", "add", spec.hostIp(site, host) + "/16", "dev", "eth0");
        sh("ip", "-n", hostNs, "link", "set", "eth0", "up");
        // The userspace datapath forwards frames as they are and never completes a checksum that
        // the sender left to offload: TCP from a veth host would arrive with bad checksums.
        if (userspaceDatapath) {
            Shell.run(CMD, Shell.inNetns(hostNs, "ethtool", "-K", "eth0", "tx", "off")).orThrow();
        }
        sh("ip", "-n", spec.siteNamespace(site), "link", "set", "h" + host, "up");
        Shell.run(CMD, Shell.inNetns(spec.siteNamespace(site), ovsScript, "add-port", dir.toString(), BRIDGE,
                "h" + host)).orThrow();
    }

    /** Writes the site's node config and starts its node process inside the site namespace. */
    public void startNode(int site) throws IOException {
        Path dir = siteDir(site);
        // Every site knows one bootstrap address: site 1's. Site 1 starts the ring; after a restart
        // it rejoins through site 2.
        String bootstrap = site == 1 ? (nodePids.isEmpty() ? "" : spec.siteUnderlayIp(2) + ":" + NODE_PORT)
                : spec.siteUnderlayIp(1) + ":" + NODE_PORT;
        Path config = dir.resolve("node.yaml");
        Files.writeString(config, String.join("\n",
                "name: site" + site,
                "listen: " + spec.siteUnderlayIp(site) + ":" + NODE_PORT,
                "bootstrap: [" + bootstrap + "]",
                "underlayMtu: " + spec.underlayMtu(),
                "tap: {name: " + TAP + ", mtu: " + spec.overlayMtu() + "}",
                "bridge: {name: " + BRIDGE + ", ovsdb: 'unix:" + dir.resolve("db.sock") + "'}",
                "controller: 127.0.0.1:6653",
                "statusFile: " + dir.resolve("status.json"),
                ""));
        Files.deleteIfExists(dir.resolve("status.json"));
        List<String> command = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", spec.siteNamespace(site)));
        command.addAll(NodeProcess.javaCommand());
        command.addAll(List.of("--config", config.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
                .start();
        nodePids.put(site, process.pid());
        saveState();
    }

    /** Stops one site's node (SIGTERM, then SIGKILL), as a crash or an operator would. */
    public void stopNode(int site, boolean kill) throws InterruptedException {
        Long pid = nodePids.remove(site);
        if (pid != null) {
            terminate(pid, kill);
        }
    }

    /** Waits until every node controls its bridge, knows its overlay port, and the ring is consistent. */
    public void awaitReady(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String waitingFor = "";
        while (System.nanoTime() < deadline) {
            waitingFor = notReady();
            if (waitingFor.isEmpty()) {
                progress.accept("all " + spec.sites() + " nodes control their bridges; the ring is consistent (crawl 1.0)");
                return;
            }
            for (Map.Entry<Integer, Long> node : nodePids.entrySet()) {
                if (ProcessHandle.of(node.getValue()).map(p -> !p.isAlive()).orElse(true)) {
                    throw new IOException("the node of site " + node.getKey() + " exited; see "
                            + siteDir(node.getKey()).resolve("node.log") + ":\n" + tail(siteDir(node.getKey()).resolve("node.log")));
                }
            }
            Thread.sleep(250);
        }
        throw new IOException("lab not ready after " + limit.toSeconds() + " s: " + waitingFor);
    }

    private String notReady() {
        for (int s = 1; s <= spec.sites(); s++) {
            Optional<JsonNode> status = nodeStatus(s);
            if (status.isEmpty()) {
                return "site " + s + " has written no status yet";
            }
            JsonNode st = status.get();
            if (st.path("controller").path("switches").isEmpty()) {
                return "the bridge of site " + s + " has not connected to its controller";
            }
            if (st.path("controller").path("overlayPort").asInt(-1) < 0) {
                return "the bridge of site " + s + " has not reported its overlay port";
            }
            if (!st.path("connected").asBoolean()) {
                return "site " + s + " has not joined the ring";
            }
        }
        Crawl.Result crawl = crawl();
        if (crawl.consistency() < 1.0) {
            return "the ring is not consistent yet (crawl " + crawl.consistency() + ", off: " + crawl.inconsistent() + ")";
        }
        return "";
    }

    /** The crawl over the nodes' status files: are first and second neighbours on both sides right? */
    public Crawl.Result crawl() {
        return crawl(runDir, spec.sites());
    }

    /** The crawl over the status files of the lab in {@code dir}; nodes without a status are left out. */
    public static Crawl.Result crawl(Path dir, int sites) {
        List<Crawl.NodeView> views = new ArrayList<>();
        for (int s = 1; s <= sites; s++) {
            Path file = dir.resolve("s" + s).resolve("status.json");
            try {
                if (Files.exists(file)) {
                    JsonNode st = JSON.readTree(file.toFile());
                    views.add(new Crawl.NodeView(RingAddress.parse(st.path("address").asText()),
                            addresses(st.path("left")), addresses(st.path("right"))));
                }
            } catch (IOException | IllegalArgumentException e) {
                // A status file being rewritten: the next crawl reads it.
            }
        }
        return Crawl.check(views);
    }

    private static List<RingAddress> addresses(JsonNode array) {
        List<RingAddress> out = new ArrayList<>();
        array.forEach(a -> out.add(RingAddress.parse(a.asText())));
        return out;
    }

    /** The node's last status file, if it wrote one. */
    public Optional<JsonNode> nodeStatus(int site) {
        Path file = siteDir(site).resolve("status.json");
        try {
            return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs a command in a namespace of this lab. */
    public Shell.Result exec(String namespace, Duration limit, String... command) throws IOException {
        return Shell.run(limit, Shell.inNetns(namespace, command));
    }

    /** Pings from one host to another host's address. */
    public Ping ping(int fromSite, int fromHost, int toSite, int toHost, int count, double interval) throws IOException {
        Shell.Result r = exec(spec.hostNamespace(fromSite, fromHost), Duration.ofSeconds(30 + (long) (count * interval)),
                "ping", "-n", "-q", "-c", Integer.toString(count), "-i", Double.toString(interval), "-W", "2",
                spec.hostIp(toSite, toHost));
        return Ping.parse(r.output());
    }

    /** The MAC a host has in its neighbour table for another host, if any. */
    public Optional<String> neighbourMac(int fromSite, int fromHost, int toSite, int toHost) throws IOException {
        Shell.Result r = exec(spec.hostNamespace(fromSite, fromHost), CMD, "ip", "neigh", "show", spec.hostIp(toSite, toHost));
        Matcher m = Pattern.compile("lladdr ([0-9a-f:]{17})").matcher(r.output());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** TCP throughput in Mbit/s from one host to another, measured by iperf3 for {@code seconds}. */
    public double iperf(int fromSite, int fromHost, int toSite, int toHost, int seconds) throws IOException, InterruptedException {
        return Iperf.measure(this::exec, spec.hostNamespace(toSite, toHost), spec.hostIp(toSite, toHost),
                spec.hostNamespace(fromSite, fromHost), seconds, siteDir(toSite));
    }

    /** Removes the lab {@code name}: node processes, OVS instances, namespaces and its run directory. */
    public static void down(String name, Consumer<String> progress) throws InterruptedException {
        Path dir = RUN_ROOT.resolve(name);
        List<String> namespaces = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        Path state = dir.resolve("state.json");
        if (Files.exists(state)) {
            try {
                JsonNode node = JSON.readTree(state.toFile());
                node.path("namespaces").forEach(n -> namespaces.add(n.asText()));
                node.path("nodePids").forEach(p -> pids.add(p.asLong()));
            } catch (IOException e) {
                progress.accept("state file " + state + " unreadable (" + e.getMessage() + "); cleaning by name");
            }
        }
        for (String ns : leftovers(LabSpec.of(name, 2, 1))) {
            if (!namespaces.contains(ns)) {
                namespaces.add(ns);
            }
        }
        if (namespaces.isEmpty() && !Files.exists(dir)) {
            progress.accept("no lab named '" + name + "' is up");
            return;
        }
        progress.accept("stopping lab '" + name + "': " + pids.size() + " node(s), " + namespaces.size() + " namespace(s)");
        for (long pid : pids) {
            terminate(pid, false);
        }
        Path script = Preflight.home().resolve("ovs-scripts/ovs-instance.sh");
        for (String ns : namespaces) {
            Path siteDir = dir.resolve(ns.substring(ns.lastIndexOf('-') + 1));
            if (Files.exists(siteDir.resolve("ovs-vswitchd.pid")) && Files.exists(script)) {
                quietly(Shell.inNetns(ns, script.toString(), "stop", siteDir.toString()));
            }
        }
        for (String ns : namespaces) {
            killAllIn(ns);
            quietly(List.of("ip", "netns", "delete", ns));
        }
        deleteTree(dir);
    }

    /** Namespaces whose names say they belong to this lab. */
    static List<String> leftovers(LabSpec spec) {
        try {
            Shell.Result r = Shell.run(CMD, "ip", "netns", "list");
            List<String> out = new ArrayList<>();
            for (String line : r.output().split("\n")) {
                String ns = line.split(" ")[0].trim();
                if (ns.startsWith(spec.prefix() + "-")) {
                    out.add(ns);
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    public void down() throws InterruptedException {
        down(spec.name(), progress);
    }

    private void addNamespace(String ns) throws IOException {
        namespaces.add(ns);
        saveState();
        sh("ip", "netns", "add", ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
    }

    private void saveState() throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("spec", spec);
        state.put("namespaces", namespaces);
        state.put("nodePids", nodePids.values());
        Path tmp = runDir.resolve("state.json.tmp");
        Files.write(tmp, JSON.writeValueAsBytes(state));
        Files.move(tmp, runDir.resolve("state.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Keeps the node logs of a failed lab where the next person can read them. */
    private void saveLogs() {
        Path keep = Path.of(System.getProperty("java.io.tmpdir"), "ringswitch-failed-" + spec.name());
        try {
            Files.createDirectories(keep);
            for (int s = 1; s <= spec.sites(); s++) {
                for (String f : List.of("node.log", "ovs-vswitchd.log")) {
                    Path src = siteDir(s).resolve(f);
                    if (Files.exists(src)) {
                        Files.copy(src, keep.resolve("s" + s + "-" + f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            progress.accept("logs of the failed lab copied to " + keep);
        } catch (IOException e) {
            progress.accept("could not keep the logs: " + e.getMessage());
        }
    }

    private static void sh(String... command) throws IOException {
        Shell.run(CMD, command).orThrow();
    }

    private static void quietly(List<String> command) {
        try {
            Shell.run(CMD, command);
        } catch (IOException e) {
            // Teardown goes on: the next step may still remove what this one could not.
        }
    }

    private static void killAllIn(String ns) throws InterruptedException {
        try {
            String out = Shell.run(CMD, "ip", "netns", "pids", ns).output();
            for (String pid : out.split("\\s+")) {
                if (pid.matches("\\d+")) {
                    terminate(Long.parseLong(pid), false);
                }
            }
        } catch (IOException e) {
            // The namespace is already gone.
        }
    }

    private static void terminate(long pid, boolean kill) throws InterruptedException {
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

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left for the next lab down.
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
