/**
 * The messages of the ring and their one codec, which alone knows byte offsets and bounds every
 * count and length before it allocates. Claims and routing modes are enums on the wire, checked
 * when read.
 */
package io.ringswitch.overlay.ring.message;
