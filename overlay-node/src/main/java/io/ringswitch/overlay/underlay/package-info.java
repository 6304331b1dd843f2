/**
 * The node's underlay as a Netty pipeline on its UDP channel: the TCP links ({@link
 * io.ringswitch.overlay.underlay.TcpLinks}, whose framed streams enter and leave the same
 * pipeline), the envelope ({@link io.ringswitch.overlay.underlay.WireFormat}), the datagram decoder
 * that counts every reject by reason, the encoder, and the hand-over to the ring node on its event
 * loop. A UDP datagram is Netty's {@code DatagramPacket}; one of a TCP or relay path is a {@link
 * io.ringswitch.overlay.underlay.PathDatagram}.
 */
package io.ringswitch.overlay.underlay;
