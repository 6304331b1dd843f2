package io.ringswitch.topology.bench;

import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Open vSwitch's userspace (netdev) datapath with a VXLAN port, no encryption, overlay
 * 10.255.0.0/24: one ovsdb-server and ovs-vswitchd per namespace, with a fresh database and all
 * their files in this system's directory (never the system's conf.db). Userspace tunnels need the
 * underlay address on an OVS bridge, so it moves from the veth to {@code br-phy}; the overlay port
 * gets MTU 1450 to leave room for the 50 bytes of VXLAN, or TCP stalls while ping works. Stopped
 * with {@code exit --cleanup}, which also removes the datapath's TAP devices.
 */
final class OvsVxlanPeer extends TunnelPeer {
    private static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

    OvsVxlanPeer(RunContext run) {
        super(run);
    }

    @Override
    public String id() {
        return "ovs-vxlan";
    }

    @Override
    public String label() {
        return "OVS netdev VXLAN";
    }

    @Override
    public List<String> packages() {
        return List.of("openvswitch-switch");
    }

    @Override
    public List<String> programs() {
        return List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-appctl");
    }

    @Override
    protected Endpoints start() throws IOException {
        for (String side : new String[] {"a", "b"}) {
            startInstance(side);
            String other = side.equals("a") ? "b" : "a";
            String local = NamespacePair.underlay(side);
            String port = "ovl" + side.toUpperCase();
            vsctl(side, "add-br", "br-phy", "--", "set", "bridge", "br-phy", "datapath_type=netdev");
            vsctl(side, "add-port", "br-phy", NamespacePair.veth(side));
            vsctl(side, "add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev");
            vsctl(side, "add-port", "br-int", "vx0", "--", "set", "interface", "vx0", "type=vxlan",
                    "options:remote_ip=" + NamespacePair.underlay(other), "options:local_ip=" + local, "options:key=100");
            vsctl(side, "add-port", "br-int", port, "--", "set", "interface", port, "type=internal", "mtu_request=1450");
            inNs(side, "ip", "addr", "del", local + "/24", "dev", NamespacePair.veth(side));
            inNs(side, "ip", "addr", "add", local + "/24", "dev", "br-phy");
            inNs(side, "ip", "link", "set", "br-phy", "up");
            inNs(side, "ip", "addr", "add", overlay(side) + "/24", "dev", port);
            inNs(side, "ip", "link", "set", port, "up");
        }
        return new Endpoints(pair.namespace("a"), pair.namespace("b"), overlay("b"));
    }

    private void startInstance(String side) throws IOException {
        Path d = dir().resolve("ovs-" + side);
        Files.createDirectories(d);
        cleanup().add("Open vSwitch in " + pair.namespace(side), () -> stopInstance(d));
        sh("ovsdb-tool", "create", d.resolve("conf.db").toString(), SCHEMA);
        ovs(side, d, "ovsdb-server", d.resolve("conf.db").toString(), "--remote=punix:" + d.resolve("db.sock"),
                "--pidfile=" + d.resolve("ovsdb-server.pid"), "--unixctl=" + d.resolve("ovsdb-server.ctl"),
                "--log-file=" + d.resolve("ovsdb-server.log"), "-vconsole:off", "--detach", "--no-chdir");
        vsctl(side, "--no-wait", "init");
        ovs(side, d, "ovs-vswitchd", "unix:" + d.resolve("db.sock"), "--pidfile=" + d.resolve("ovs-vswitchd.pid"),
                "--unixctl=" + d.resolve("ovs-vswitchd.ctl"), "--log-file=" + d.resolve("ovs-vswitchd.log"),
                "-vconsole:off", "--detach", "--no-chdir");
        detached(side, d.resolve("ovs-vswitchd.pid"), d.resolve("ovs-vswitchd.log"));
        detached(side, d.resolve("ovsdb-server.pid"), d.resolve("ovsdb-server.log"));
    }

    /** Runs an OVS program inside a side's namespace with every OVS directory pointing at {@code d}. */
    private void ovs(String side, Path d, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("env", "OVS_RUNDIR=" + d, "OVS_LOGDIR=" + d, "OVS_DBDIR=" + d,
                "OVS_SYSCONFDIR=" + d));
        full.addAll(Shell.inNetns(pair.namespace(side), command));
        Shell.run(CMD, full).orThrow();
    }

    private void vsctl(String side, String... args) throws IOException {
        List<String> full = new ArrayList<>(List.of("ovs-vsctl", "--timeout=10",
                "--db=unix:" + dir().resolve("ovs-" + side).resolve("db.sock")));
        full.addAll(List.of(args));
        Shell.run(CMD, full).orThrow();
    }

    /** Asks vswitchd to exit removing its TAP devices, then ovsdb-server; kills what does not go. */
    private static void stopInstance(Path d) throws Exception {
        for (String daemon : new String[] {"ovs-vswitchd", "ovsdb-server"}) {
            Path pidFile = d.resolve(daemon + ".pid");
            if (!Files.exists(pidFile)) {
                continue;
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            List<String> exit = new ArrayList<>(List.of("ovs-appctl", "-t", d.resolve(daemon + ".ctl").toString(), "exit"));
            if (daemon.equals("ovs-vswitchd")) {
                exit.add("--cleanup");
            }
            Shell.run(CMD, exit);
            Optional<ProcessHandle> process = ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.endsWith("/" + daemon)).orElse(false));
            if (process.isPresent()) {
                try {
                    process.get().onExit().get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    Cleanup.terminate(process.get(), Duration.ofSeconds(3));
                }
            }
        }
    }

    private static String overlay(String side) {
        return side.equals("a") ? "10.255.0.1" : "10.255.0.2";
    }
}
