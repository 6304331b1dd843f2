/**
 * The group's certificate authority and the nodes' identities: X.509 certificates (Bouncy Castle)
 * that bind a node's Ed25519 key, its ring address (the SHA-1 of that key and of a salt the CA
 * draws at issue time, {@link io.ringswitch.overlay.security.RingSalt}, so that nobody picks a
 * place on the ring, however many keys it tries), the group's name, an optional fixed virtual IP
 * and a validity period; and the checks a certificate must pass. The link handshake that proves
 * possession of the key to peers comes with #8's link security layer. The same key signs the
 * node's DHT records ({@link io.ringswitch.overlay.security.SignedDhtRecords}), which every holder
 * and reader checks against the group's CA, and the routed messages and broadcasts it sends
 * ({@link io.ringswitch.overlay.security.SourceSignatures}), checked where they end and, for
 * broadcasts, at every hop.
 */
package io.ringswitch.overlay.security;
