/**
 * Forwarding by destination MAC in the bridge's L2_LOOKUP table: local hosts out of their port,
 * remote hosts into the overlay port, IP multicast on to the multicast table, everything else
 * flooded under the ingress port's storm meter.
 */
package io.ringswitch.controller.forwarding;
