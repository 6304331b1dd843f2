/**
 * The secure link layer, between the UDP pipeline ({@code overlay.underlay}) and the ring: every
 * link is a session made by a Noise XX handshake in which both sides prove a certificate of the
 * group's CA, and everything the ring and the frame path send travels in AES-256-GCM records
 * sealed in place. Sessions are kept by the peer's path: a UDP endpoint, a TCP connection, or a
 * relay through which the pair's handshake and records pass as ciphertext (the relay opens only
 * its own layer around them), or the ring's routing, for two sites without a link: their
 * end-to-end session's handshake and records ride routed messages that the nodes on the route
 * cannot open or alter ({@link io.ringswitch.overlay.secure.RoutedPaths}). Nothing from an unauthenticated source gets past {@link SecureLinkHandler};
 * the ring code does not know this layer exists, except that it is told when a peer's records come
 * from a new endpoint (roaming), so that the link follows.
 */
package io.ringswitch.overlay.secure;
