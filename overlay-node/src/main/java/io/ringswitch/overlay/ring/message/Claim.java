package io.ringswitch.overlay.ring.message;

/**
 * Why a node holds a link. A part of the node that needs a link holds a claim on it; a link that
 * neither side claims is trimmed. A link request names the claim its sender means to hold, and
 * keepalives and status messages tell the peer which claim the sender holds now.
 */
public enum Claim {
    /** A joining node's first link, to a bootstrap node: it carries only the join. */
    JOIN,
    /** One of the nearest nodes on either side. */
    NEAR,
    /** A Symphony shortcut drawn from the harmonic distribution. */
    SHORTCUT,
    /**
     * An on-demand link: frames to the peer's site passed a threshold, so they take one hop
     * instead of a route over the ring; let go when the traffic stops.
     */
    TRAFFIC,
    /**
     * A link to a node that relays this node's sealed records to a peer it cannot reach directly
     * (NAT traversal's last resort), held while a relayed link depends on it.
     */
    RELAY;

    /** The wire value: the ordinal plus one, so that 0 means "no claim". */
    public int code() {
        return ordinal() + 1;
    }

    /** The claim for a wire value; {@code null} for 0 (no claim) and for values out of range. */
    public static Claim ofCode(int code) {
        Claim[] all = values();
        return code >= 1 && code <= all.length ? all[code - 1] : null;
    }
}
