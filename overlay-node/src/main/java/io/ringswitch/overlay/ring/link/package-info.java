/**
 * The link layer: the {@link io.ringswitch.overlay.ring.link.LinkTable table} of links and their
 * clockwise order, {@link io.ringswitch.overlay.ring.link.LinkEstablisher making links} under an
 * admission policy, {@link io.ringswitch.overlay.ring.link.Liveness liveness and round-trip
 * times}, and the {@link io.ringswitch.overlay.ring.link.MessageDispatcher door} that lets only a
 * linked peer's messages in. This is where a message from the underlay enters the ring. For NAT
 * traversal (issue 10) it also keeps what peers saw of this node's endpoint
 * ({@link io.ringswitch.overlay.ring.link.PublicEndpoints}) and holds back probes to endpoints no
 * handshake confirmed ({@link io.ringswitch.overlay.ring.link.ProbeLimiter}); requests unanswered over UDP
 * go again over TCP, and links move from a relay to a direct path when one answers; the two ends
 * of a relayed link settle on one relay ({@link io.ringswitch.overlay.ring.link.PairRelay}).
 */
package io.ringswitch.overlay.ring.link;
