package io.ringswitch.overlay.control;

import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.api.NodeStatus;
import java.util.List;
import java.util.Map;

/** A node's status with only the ring's parts filled in: what a ring without a bridge or port has. */
final class Statuses {
    private Statuses() {
    }

    static NodeStatus ringOnly(String name, String address, boolean connected, List<NodeStatus.LinkStatus> links,
                               NodeStatus.DhtHoldings dht) {
        return new NodeStatus(name, ProcessHandle.current().pid(), System.currentTimeMillis(), address, connected,
                List.of(), List.of(), links, 0,
                new NodeStatus.FrameStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                new NodeStatus.RingStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                Map.of(), new NodeStatus.DataPathStats("nio", false, false, 0, 0, 0, 0),
                new ControllerStatus(List.of(), 0, 0, 0, 0, 0, 0, 0, 0), NodeStatus.SecurityStats.plaintext(),
                new NodeStatus.MulticastStats(0, 0, 0, 0, 0, 0, 0, 0), NodeStatus.NatStats.unknown(), null, null, null, null,
                null, dht);
    }
}
