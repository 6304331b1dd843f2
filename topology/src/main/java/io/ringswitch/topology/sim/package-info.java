/**
 * The ring simulator: thousands of {@link io.ringswitch.overlay.ring.node.RingNode}s, the very code a
 * real node runs, in one JVM on virtual time, with a latency model and churn schedules; and the
 * {@link io.ringswitch.topology.sim.RelayStudy}, which times routed messages hop by hop against
 * direct paths and two-hop relays (the IPOP paper's comparison); and the
 * {@link io.ringswitch.topology.sim.SecurityComparison}, which runs one ring bare and with every
 * node signing its DHT records and routed messages (the real node's signing code) and sets their
 * delivery, DHT availability and CPU per message side by side; and the {@link io.ringswitch.topology.sim.ScaleSeries},
 * which runs the standard scenario from 1,000 to 100,000 nodes and reports what each costs. The
 * simulated underlay and its nodes are the {@code SimNetwork}'s, the probes the {@code SimProbes}'.
 */
package io.ringswitch.topology.sim;
