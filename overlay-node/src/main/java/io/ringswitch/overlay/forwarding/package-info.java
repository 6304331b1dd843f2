/**
 * The ring's side of the bridge: Ethernet frames between the overlay port and the ring. Which site
 * a MAC lives behind (learned from arriving frames, told to the switch controller), unicast to that
 * site, IP multicast to the sites whose hosts joined the group, the ring's broadcast for the rest;
 * and the DHT records the controller reads through its api (hosts, address leases, group members).
 * ARP, DHCP, IGMP/MLD and port security are the controller's flows, not this package's.
 */
package io.ringswitch.overlay.forwarding;
