/**
 * The structured ring (Symphony/Brunet style): 160-bit addresses, near neighbours on both sides,
 * harmonic shortcuts, greedy routing, bounded broadcast and the crawl. Driven only by an injected
 * {@link io.ringswitch.overlay.ring.Scheduler} and {@link io.ringswitch.overlay.ring.RingTransport},
 * so that the same code runs on real sockets and in the simulator on virtual time.
 */
package io.ringswitch.overlay.ring;
