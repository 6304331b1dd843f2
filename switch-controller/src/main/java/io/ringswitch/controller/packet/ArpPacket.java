package io.ringswitch.controller.packet;

import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An Ethernet/IPv4 ARP message (RFC 826) with the Ethernet addresses it travelled with.
 *
 * @param ethDst the frame's destination MAC
 * @param ethSrc the frame's source MAC
 * @param op     {@link #REQUEST} or {@link #REPLY}
 * @param sha    sender hardware address
 * @param spa    sender protocol address (0.0.0.0 in an RFC 5227 probe)
 * @param tha    target hardware address
 * @param tpa    target protocol address
 */
public record ArpPacket(MacAddress ethDst, MacAddress ethSrc, int op, MacAddress sha, IPv4Address spa, MacAddress tha,
                        IPv4Address tpa) {
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    /** A gratuitous ARP announces the sender's own address (RFC 5227 §3: sender and target address equal). */
    public boolean gratuitous() {
        return spa.equals(tpa);
    }

    /** An RFC 5227 probe: a request from 0.0.0.0. */
    public boolean probe() {
        return op == REQUEST && spa.equals(IPv4Address.NONE);
    }

    /** The reply that the owner of {@code tpa}, at {@code mac}, sends to this request (RFC 826 "swap" rule). */
    public ArpPacket replyFrom(MacAddress mac) {
        return new ArpPacket(ethSrc, mac, REPLY, mac, tpa, sha, spa);
    }
}
