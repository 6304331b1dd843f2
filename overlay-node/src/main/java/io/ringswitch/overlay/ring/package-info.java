/**
 * The structured ring's vocabulary: 160-bit {@link io.ringswitch.overlay.ring.RingAddress ring
 * addresses}, contacts, the {@link io.ringswitch.overlay.ring.PeerPath path} a peer is reached by,
 * the node's config and counters, the injected {@link io.ringswitch.overlay.ring.Scheduler clock}
 * (the {@link io.ringswitch.overlay.ring.VirtualClock virtual one} runs the simulator and the unit
 * tests) and the crawl. The node itself is in the sub-packages, each one job, with dependencies
 * one way: {@code message} &lt;- {@code link} &lt;- {@code routing} &lt;- {@code maintenance} and
 * {@code dht} &lt;- {@code node}. None of them knows Netty or the wall clock.
 */
package io.ringswitch.overlay.ring;
