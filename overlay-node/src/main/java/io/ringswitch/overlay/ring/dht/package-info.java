/**
 * The DHT on the ring: values with a time to live, held by the {@code k} nodes nearest the SHA-1
 * of their key, copied to new holders when near neighbours come and go, and an atomic
 * create-if-absent that the node nearest the key serialises. {@link io.ringswitch.overlay.ring.dht.Dht}
 * is the facade; requests, replies and replica transfers are one payload type on the ring, in the
 * bytes that {@link io.ringswitch.overlay.ring.dht.DhtMessageCodec} alone knows.
 */
package io.ringswitch.overlay.ring.dht;
