/**
 * The overlay node: it owns the overlay port (a TAP device on the bridge) and carries the Ethernet
 * frames read there to other sites over UDP. Its state is owned by one Netty event loop; the TAP
 * reader thread only hands frames to it.
 */
package io.ringswitch.overlay;
