/**
 * Packets too big for the overlay: OVS measures frames with Nicira's check_pkt_larger, and only
 * oversized UDP and ICMP packets that leave for other sites reach the controller, which answers them
 * with ICMP "fragmentation needed" or ICMPv6 "packet too big" (path MTU discovery, RFC 1191, RFC 8201).
 */
package io.ringswitch.controller.mtu;
