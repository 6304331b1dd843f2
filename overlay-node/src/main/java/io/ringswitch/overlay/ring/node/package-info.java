/**
 * The ring node as its users see it: a thin facade that wires the parts of the other packages and
 * offers start, stop, send, broadcast and the registration of protocols. The real node (on UDP)
 * and the simulator (on virtual time) run the same class.
 */
package io.ringswitch.overlay.ring.node;
