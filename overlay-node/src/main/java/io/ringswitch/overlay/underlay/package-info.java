/**
 * The node's UDP side as a Netty pipeline: the envelope ({@link
 * io.ringswitch.overlay.underlay.WireFormat}), the datagram decoder that counts every reject by
 * reason, the encoder, and the hand-over to the ring node on its event loop.
 */
package io.ringswitch.overlay.underlay;
