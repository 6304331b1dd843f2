package io.ringswitch.overlay.control;

import io.ringswitch.overlay.api.NodeStatus;

/** What the control socket asks of the node; called on the socket's threads, never on the node's. */
public interface ControlService {

    /** The node's status now. */
    NodeStatus status() throws Exception;

    /**
     * Echoes {@code target} {@code count} times and reports how each went.
     *
     * @throws IllegalArgumentException when the target names no site this node can find
     */
    PingReport ping(String target, int count) throws Exception;
}
