package io.ringswitch.controller.pipeline;

import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * What a manager may know of the switch it programs, and how it sends what it decides later (after
 * a directory or pool answer). Owned by the switch channel's thread.
 */
public interface SwitchContext {

    OFFactory factory();

    /** The overlay port's number, or null while the switch has not listed it. */
    OFPort overlayPort();

    /**
     * The local ports (hosts, trusted ports), without the overlay port, the bridge's own and the
     * infrastructure ports (a full tunnel's uplink and underlay port, a gateway port).
     */
    Set<OFPort> localPorts();

    /** Whether a port is marked trusted in the config. */
    boolean trusted(OFPort port);

    /** Monotonic milliseconds. */
    long nowMillis();

    /** Sends messages decided after the call that caused them returned; any thread. */
    void send(List<OFMessage> messages);

    /** Runs {@code task} on the switch channel's thread (for futures the overlay completes on its own). */
    void execute(Runnable task);
}
