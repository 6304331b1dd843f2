/**
 * Where the next hop is chosen: greedy routing by ring distance with hop acknowledgements and
 * re-routing, the bounded broadcast, and the registry through which each protocol on the ring (the
 * CONNECT of the ring itself, Ethernet frames, the DHT, later relays) takes its payloads. The
 * router never looks inside a payload; it only asks the {@code SourceAuthentication} whether a
 * routed message's source sent it (at delivery) and a broadcast's origin (at every hop).
 */
package io.ringswitch.overlay.ring.routing;
