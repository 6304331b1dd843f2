package io.ringswitch.overlay.ring.dht;

/** How a DHT operation ended. The first ones travel in replies; the last two are the requester's own. */
public enum DhtStatus {
    /** A put stored (or refreshed) the value; a get found values. */
    OK,
    /** A get found no live value. */
    NOT_FOUND,
    /** A create-if-absent won: the key now holds exactly this value. */
    CREATED,
    /** A create-if-absent lost: the key held other values, which the result lists. */
    EXISTS,
    /** The key holds its most values already, all other than this one. */
    KEY_FULL,
    /** The node nearest the key holds its most entries already. */
    NODE_FULL,
    /** The request broke a limit (value size, time to live). */
    REFUSED,
    /** A create met another create for the same key under way at a node nearer the key: try again. */
    RETRY,
    /** No answer after every attempt. */
    TIMEOUT,
    /** The node stopped before the answer came. */
    STOPPED;

    /** The wire value. */
    int code() {
        return ordinal();
    }

    /** The status of a wire value; {@code null} for values out of range and for the requester's own. */
    static DhtStatus ofCode(int code) {
        DhtStatus[] all = values();
        return code >= 0 && code <= RETRY.ordinal() ? all[code] : null;
    }
}
