package io.ringswitch.overlay.api;

import io.ringswitch.controller.api.ControllerStatus;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one node, written as JSON to the status file and shown by {@code lab status}.
 *
 * @param name       the node's name
 * @param peers      the node's links
 * @param remoteMacs MAC addresses learned behind other sites
 * @param counters   frame and reject counters by name
 * @param controller the switch controller's snapshot
 */
public record NodeStatus(String name, List<PeerStatus> peers, int remoteMacs, Map<String, Long> counters,
                         ControllerStatus controller) {

    /** One link: up when the peer was heard within the liveness window. */
    public record PeerStatus(String address, String name, boolean up, long lastHeardMillisAgo,
                             long framesSent, long framesReceived) {
    }
}
