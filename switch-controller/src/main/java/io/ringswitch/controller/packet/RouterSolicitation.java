package io.ringswitch.controller.packet;

import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An IPv6 router solicitation (RFC 4861 §4.1) with the addresses it travelled with.
 *
 * @param ethSrc    the frame's source MAC
 * @param src       the IPv6 source (:: from a host without an address yet)
 * @param linkLayer its source link-layer address option, or null
 */
public record RouterSolicitation(MacAddress ethSrc, IPv6Address src, MacAddress linkLayer) {
}
