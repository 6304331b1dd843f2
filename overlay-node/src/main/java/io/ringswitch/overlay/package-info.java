/**
 * One site's node: {@link io.ringswitch.overlay.OverlayNode} wires the switch controller, the
 * overlay port ({@code tap}), the UDP pipeline ({@code underlay}), the ring ({@code ring.*}) and
 * the frame forwarder ({@code forwarding}), and writes the status file. Its state is owned by one
 * Netty event loop; the TAP reader thread only hands batches of frames to it.
 */
package io.ringswitch.overlay;
