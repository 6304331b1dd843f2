package io.ringswitch.overlay.ring;

import java.net.InetSocketAddress;

/** A node as others reach it: its ring address and its underlay endpoint. */
public record Contact(RingAddress address, InetSocketAddress endpoint) {
}
