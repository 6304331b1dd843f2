/**
 * The ring simulator: thousands of {@link io.ringswitch.overlay.ring.node.RingNode}s, the very code a
 * real node runs, in one JVM on virtual time, with a latency model and churn schedules; and the
 * {@link io.ringswitch.topology.sim.RelayStudy}, which times routed messages hop by hop against
 * direct paths and two-hop relays (the IPOP paper's comparison).
 */
package io.ringswitch.topology.sim;
