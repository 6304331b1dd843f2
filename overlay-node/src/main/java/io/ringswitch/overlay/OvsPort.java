package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;

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

    /**
     * Whether the bridge passes TCP super-frames to and from its ports: always in the kernel
     * datapath; in the userspace one only with {@code other_config:userspace-tso-enable=true}
     * (read when ovs-vswitchd starts). Without it, a super-frame written to the overlay port
     * would reach a host whole and TCP would stall.
     */
    boolean takesSuperFrames() throws IOException {
        if (!userspaceDatapath()) {
            return true;
        }
        String tso = vsctl("--if-exists", "get", "Open_vSwitch", ".", "other_config:userspace-tso-enable");
        return tso.replace("\"", "").equals("true");
    }

    /** Whether the bridge runs OVS's userspace datapath ({@code datapath_type=netdev}). */
    boolean userspaceDatapath() throws IOException {
        return vsctl("get", "Bridge", bridge.name(), "datapath_type").replace("\"", "").equals("netdev");
    }

    private String vsctl(String... args) throws IOException {
        return OvsCtl.run(bridge, args);
    }
}
