/**
 * Ethernet frames between the overlay port and the ring: which site a MAC lives behind, learned
 * from arriving frames; unicast to that site, the ring's broadcast for the rest.
 */
package io.ringswitch.overlay.forwarding;
