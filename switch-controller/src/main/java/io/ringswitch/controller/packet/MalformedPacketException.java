package io.ringswitch.controller.packet;

/**
 * A frame that claims to be a protocol the controller reads (ARP, neighbour discovery) but breaks
 * its rules; the message names the rule, for the counter's log line.
 */
public final class MalformedPacketException extends Exception {
    public MalformedPacketException(String reason) {
        super(reason, null, false, false);
    }
}
