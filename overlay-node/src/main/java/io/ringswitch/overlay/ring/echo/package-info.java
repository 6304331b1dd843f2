/**
 * The ring's echo (issue 20): a request routed to a node and its answer routed back, which tells
 * the sender how many ring hops each way took and the round trip; {@code ringswitch ping} reads it
 * together with the link it went over when there is one.
 */
package io.ringswitch.overlay.ring.echo;
