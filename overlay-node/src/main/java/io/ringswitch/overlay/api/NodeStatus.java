package io.ringswitch.overlay.api;

import io.ringswitch.controller.api.ControllerStatus;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of one node, written as JSON to the status file and read by {@code lab status} and
 * {@code crawl}.
 *
 * @param name       the node's name
 * @param address    its ring address (40 hex digits)
 * @param connected  whether it has joined the ring
 * @param left       nearest neighbours counter-clockwise, nearest first (ring addresses)
 * @param right      nearest neighbours clockwise, nearest first
 * @param links      every link
 * @param remoteMacs MAC addresses learned behind other sites
 * @param counters   frame, reject and ring counters by name
 * @param controller the switch controller's snapshot
 */
public record NodeStatus(String name, String address, boolean connected, List<String> left, List<String> right,
                         List<LinkStatus> links, int remoteMacs, Map<String, Long> counters,
                         ControllerStatus controller) {

    /** One link of the ring. */
    public record LinkStatus(String address, String endpoint, List<String> kinds, long rttMillis) {
    }
}
