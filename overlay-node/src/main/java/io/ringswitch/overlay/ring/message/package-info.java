/**
 * The messages of the ring and their codec, which alone knows byte offsets and bounds every
 * count and length before it allocates; the CONNECT protocol's payloads have their own
 * ({@link io.ringswitch.overlay.ring.message.ConnectCodec}). Claims and routing modes are enums on the wire, checked
 * when read.
 */
package io.ringswitch.overlay.ring.message;
