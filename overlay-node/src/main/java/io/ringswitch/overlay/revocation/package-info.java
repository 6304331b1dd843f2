/**
 * How revocations reach a node (issue 19): from the group server's CRL ({@link
 * io.ringswitch.overlay.revocation.CrlFetcher}), over a ring broadcast and the DHT ({@link
 * io.ringswitch.overlay.revocation.RevocationGossip}), and from {@code ringswitch revoke} on the
 * node's own host ({@link io.ringswitch.overlay.revocation.RevocationInbox}). Whatever the way in,
 * a record is checked against the group's CA by {@code security.Revocations}, which every check
 * of the node consults.
 */
package io.ringswitch.overlay.revocation;
