/**
 * The packets the controller reads and writes itself: ARP (RFC 826) and IPv6 neighbour discovery
 * (RFC 4861) as records with one codec each, and the Internet checksum (RFC 1071).
 */
package io.ringswitch.controller.packet;
