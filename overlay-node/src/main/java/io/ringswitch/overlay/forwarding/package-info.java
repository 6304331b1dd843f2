/**
 * Ethernet frames between the overlay port and the ring: which site a MAC lives behind, learned
 * from arriving frames; unicast to that site, the ring's broadcast for the rest. ARP is answered
 * from the directory; IP multicast goes only to the sites whose hosts joined the group, as IGMP and
 * MLD snooping found and the DHT lists.
 */
package io.ringswitch.overlay.forwarding;
