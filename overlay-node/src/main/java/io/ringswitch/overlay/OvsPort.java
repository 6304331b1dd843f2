package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Adds the overlay port to the bridge and takes it off again, through {@code ovs-vsctl}. */
final class OvsPort {
    private final NodeConfig.Bridge bridge;
    private final String port;

    OvsPort(NodeConfig.Bridge bridge, String port) {
        this.bridge = bridge;
        this.port = port;
    }

    /**
     * Adds the port afresh. A port left behind by a node that crashed still names the old TAP
     * device, which vanished with its process; removing it first makes OVS open the new one.
     */
    void add() throws IOException {
        remove();
        vsctl("add-port", bridge.name(), port);
    }

    void remove() throws IOException {
        vsctl("--if-exists", "del-port", bridge.name(), port);
    }

    private void vsctl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--timeout=10"));
        if (!bridge.ovsdb().isEmpty()) {
            command.add("--db=" + bridge.ovsdb());
        }
        command.add("--");
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run ovs-vsctl: is Open vSwitch installed? (" + e.getMessage() + ")", e);
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish: is ovsdb-server running?");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (process.exitValue() != 0) {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
