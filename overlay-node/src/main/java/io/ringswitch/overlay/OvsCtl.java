package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code ovs-vsctl} against the bridge's database (its {@code ovsdb} socket when the config
 * names one, OVS's default otherwise), with a 10 s database timeout, and returns what it printed.
 */
final class OvsCtl {
    private OvsCtl() {
    }

    static String run(NodeConfig.Bridge bridge, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--timeout=10"));
        if (!bridge.ovsdb().isEmpty()) {
            command.add("--db=" + bridge.ovsdb());
        }
        command.add("--");
        command.addAll(List.of(args));
        return SystemCommand.output(command, 15, "is Open vSwitch installed, and ovsdb-server running?");
    }
}
