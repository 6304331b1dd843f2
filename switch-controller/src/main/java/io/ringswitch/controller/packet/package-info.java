/**
 * The packets the controller reads and writes itself: ARP (RFC 826), IPv6 neighbour discovery and
 * router solicitations and advertisements (RFC 4861) as records with one codec each, and the
 * Internet checksum (RFC 1071).
 */
package io.ringswitch.controller.packet;
