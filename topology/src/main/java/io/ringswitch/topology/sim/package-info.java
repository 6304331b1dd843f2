/**
 * The ring simulator: thousands of {@link io.ringswitch.overlay.ring.RingNode}s, the very code a
 * real node runs, in one JVM on virtual time, with a latency model and churn schedules.
 */
package io.ringswitch.topology.sim;
