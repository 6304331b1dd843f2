package io.ringswitch.overlay.ring.message;

/** Where a routed message ends. */
public enum RoutingMode {
    /** Only at the node with the destination address; elsewhere it is dropped and counted. */
    EXACT,
    /** At the node nearest the destination (a DHT key, a shortcut's target). */
    NEAREST,
    /** At the node nearest the destination, its source excepted: how a node finds its own neighbours. */
    NEAREST_OTHER;

    static RoutingMode ofCode(int code) {
        RoutingMode[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }
}
