package io.ringswitch.overlay;

import java.net.InetSocketAddress;

/** Another site's node as this node sees it. Owned by the node's event loop. */
final class Peer {
    final InetSocketAddress address;
    String name = "";
    long lastHeardMillis = Long.MIN_VALUE;
    long framesSent;
    long framesReceived;

    Peer(InetSocketAddress address) {
        this.address = address;
    }

    boolean isUp(long nowMillis, long livenessMillis) {
        return lastHeardMillis != Long.MIN_VALUE && nowMillis - lastHeardMillis <= livenessMillis;
    }
}
