/**
 * The overlay port, where a frame from the bridge enters the node: Linux TAP devices through JNA
 * ({@code /dev/net/tun}, {@code IFF_TAP | IFF_NO_PI}) and the reader that hands batches of frames
 * to the node's event loop, bounded.
 */
package io.ringswitch.overlay.tap;
