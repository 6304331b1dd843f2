/**
 * The frame path's offloads, in software where the kernel leaves them to us: super-frames that a
 * TAP device opened with {@code IFF_VNET_HDR} hands over are cut into MTU-sized TCP segments
 * (sent in one UDP GSO call), and the segments that arrive in one burst are joined back into one
 * super-frame for one TAP write, as wireguard-go does for layer 3; here with the Ethernet header.
 */
package io.ringswitch.overlay.offload;
