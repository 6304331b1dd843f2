package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sites' Open vSwitch instances, one per site namespace with its files in the site's
 * directory, driven through {@code ovs-scripts/ovs-instance.sh}.
 */
final class OvsInstances {
    private static final Duration CMD = Duration.ofSeconds(30);

    private final Path script;

    OvsInstances(Path home) {
        this.script = home.resolve("ovs-scripts/ovs-instance.sh");
    }

    /** Whether this machine runs the userspace datapath (netdev) rather than the kernel's. */
    boolean userspaceDatapath() throws IOException {
        return Shell.run(CMD, script.toString(), "datapath").output().trim().equals("netdev");
    }

    /** Starts the instance of a site and creates its bridge, controlled from inside the namespace. */
    void startWithBridge(String ns, Path dir, boolean tso) throws IOException {
        List<String> start = new ArrayList<>(List.of("env", "OVS_TSO=" + tso));
        start.addAll(Shell.inNetns(ns, script.toString(), "start", dir.toString()));
        Shell.run(CMD, start).orThrow();
        run(ns, "bridge", dir.toString(), Lab.BRIDGE, controllerTarget(dir));
    }

    /**
     * The OpenFlow target of a site's bridge and node: a Unix socket in a directory of the site's
     * own that the node creates owner-only, so that no other local user can take the bridge while
     * the node restarts (OVS redials until the node listens).
     */
    static String controllerTarget(Path dir) {
        return "unix:" + dir.resolve("openflow").resolve("controller.sock");
    }

    /** Adds an existing interface of the site namespace to its bridge. */
    void addPort(String ns, Path dir, String port) throws IOException {
        run(ns, "add-port", dir.toString(), Lab.BRIDGE, port);
    }

    /**
     * Moves the site's uplink {@code wan0} onto its bridge and gives the node's underlay address to
     * internal port {@link LabSpec#LOCAL_PORT} ({@code ovs-scripts/uplink.sh attach}); idempotent, so
     * it also puts the address back after OVS restarted and made the port anew.
     */
    void attachUplink(String ns, Path dir, String addressWithPrefix, String gateway) throws IOException {
        Shell.run(CMD, Shell.inNetns(ns, uplinkScript().toString(), "attach", dir.toString(), Lab.BRIDGE, Underlay.WAN,
                LabSpec.LOCAL_PORT, addressWithPrefix, gateway)).orThrow();
    }

    /**
     * Restarts the instance of a site as an operator would (stop with its datapath devices, start):
     * the bridge, its ports and controller stay in the database; the flows are gone until the
     * controller writes them again.
     */
    void restart(String ns, Path dir, boolean tso) throws IOException {
        Shell.run(CMD, Shell.inNetns(ns, script.toString(), "stop", dir.toString())).orThrow();
        startWithBridge(ns, dir, tso);
    }

    private Path uplinkScript() {
        return script.resolveSibling("uplink.sh");
    }

    /** Stops the instance of a site, if one was started there; failures are left to namespace removal. */
    void stopQuietly(String ns, Path dir) {
        if (Files.exists(dir.resolve("ovs-vswitchd.pid")) && Files.exists(script)) {
            try {
                Shell.run(CMD, Shell.inNetns(ns, script.toString(), "stop", dir.toString()));
            } catch (IOException e) {
                // Teardown goes on: deleting the namespace ends what is left.
            }
        }
    }

    private void run(String ns, String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = script.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Shell.run(CMD, Shell.inNetns(ns, command)).orThrow();
    }
}
