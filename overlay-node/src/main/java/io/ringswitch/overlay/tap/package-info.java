/**
 * The overlay port, where a frame from the bridge enters the node: Linux TAP devices through JNA
 * ({@code /dev/net/tun}, {@code IFF_TAP | IFF_NO_PI}), read on the node's epoll event loop itself
 * (Netty 4.2's {@code EpollIoHandle}) or, on other transports, by a thread that hands batches of
 * frames to the loop, bounded.
 */
package io.ringswitch.overlay.tap;
