/**
 * ARP and IPv6 neighbour discovery answered by the switch: OVN-style responder flows for every
 * address the site knows, and the controller's answers (directory look-ups, neighbour
 * advertisements, rate-limited flooding) for the rest.
 */
package io.ringswitch.controller.arp;
