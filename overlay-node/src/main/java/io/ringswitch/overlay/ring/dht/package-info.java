/**
 * The DHT on the ring: values with a time to live, held by the {@code k} nodes nearest the SHA-1
 * of their key, copied to new holders when near neighbours come and go, and an atomic
 * create-if-absent that the node nearest the key serialises. {@link io.ringswitch.overlay.ring.dht.Dht}
 * is the facade; requests, replies and replica transfers are one payload type on the ring, in the
 * bytes that {@link io.ringswitch.overlay.ring.dht.DhtMessageCodec} alone knows.
 *
 * <h2>Signed, owned records (issue 18)</h2>
 * In a group with a CA every value is a {@link io.ringswitch.overlay.ring.dht.DhtRecord record}:
 * the publisher's ring address and certificate (DER), a timestamp on its wall clock, the time to
 * live, a release flag and the value, signed with the publisher's Ed25519 key over all of it and
 * the key. {@link io.ringswitch.overlay.ring.dht.DhtRecords} seals and checks them:
 * <ul>
 * <li><b>Who checks.</b> A holder checks a record before it stores it, whether it comes in a put, a
 * create, a replica push, a hand-off or a fetch (the same bytes again only refresh, unchecked);
 * a reader checks every record of an answer and hands its user the value inside, releases left
 * out. A refused record is counted by reason (bad-signature: the signature fails or the
 * certificate names another publisher; not-a-member: another CA, expired; future-timestamp:
 * more than 30 s ahead; expired: run out, a replay; unsigned; malformed) and logged.</li>
 * <li><b>Owners.</b> A key holds one slot per publisher: a newer record of a publisher replaces
 * its older one, an older one is ignored, and nobody else can touch it. Keys {@code lease*},
 * {@code ip4:}, {@code ip6:} and {@code mac:} have a single owner: while one publisher's live
 * record (not a release) is held, another's claim is refused (answered EXISTS) until that record
 * runs out or its publisher releases it ({@link io.ringswitch.overlay.ring.dht.Dht#release}); a
 * create is won again only by its creator (same publisher, same value). Multicast members,
 * gateways and names keep a slot per publisher, up to the key's limit.</li>
 * <li><b>Releases between holders</b> (a node that is no longer a holder is told to let go) are
 * taken only when the node's own view says it is no holder: the sender of a routed message is
 * not yet proven, so a forged release must not delete a lease.</li>
 * <li><b>Reads that matter</b> ({@link io.ringswitch.overlay.ring.dht.Dht#getConfirmed}: leases
 * and the directory) ask the node nearest the key and then the node nearest the key's mirror
 * point, its nearest holder on the other side, and keep the records both hold; when they hold
 * none in common, all of both, and the disagreement is counted. So the node nearest a key can
 * no longer hide its owner's record alone. When those two do not settle it (the second read
 * ended at the first node, one answer's records all failed the reader's checks, or no claim is
 * held by both), the reader also asks the further holders the answers name (every reply names
 * the key's holders as its sender sees them) and keeps the claims two of them hold
 * ({@link io.ringswitch.overlay.ring.dht.ReplicaAnswers}); a plain get does the same when the
 * nearest node answered only records that fail the reader's checks.</li>
 * <li><b>One holder's clock</b> is not the ring's: a record that a holder refuses by its wall
 * clock alone (ahead, or run out) is not kept there, but a put of it is passed on to the other
 * holders and a get hands it to the reader, each checking it by its own clock; otherwise a member
 * whose clock is off (or who lies about it) that became the node nearest a key would stop the
 * owner's refreshes from reaching the other holders, and the record would run out there.</li>
 * </ul>
 * A node without a certificate (a plaintext lab) keeps values bare and unowned, as before, and
 * says so in its status; a node with one refuses bare and unsigned values.
 */
package io.ringswitch.overlay.ring.dht;
