package io.ringswitch.overlay.ring.message;

/**
 * Payload types of routed messages and broadcasts. Each protocol on the ring owns one and
 * registers a handler for it; the router never looks inside a payload.
 */
public final class PayloadTypes {
    /** A request for a link, routed to the node nearest a target (joins, shortcuts). */
    public static final int CONNECT = 1;
    /** An Ethernet frame between sites. */
    public static final int FRAME = 2;
    /** A probe of the simulator and the tests. */
    public static final int PROBE = 3;
    /** The DHT's requests, replies and replica transfers ({@code ring.dht}). */
    public static final int DHT = 4;
    /** The answer to a CONNECT, routed back to the requester: the answerer's endpoints (hole punching). */
    public static final int CONNECT_REPLY = 5;
    /** A full-tunnel client's probe of a gateway, and the gateway's answer ({@code overlay.gateway}). */
    public static final int GATEWAY_PROBE = 6;
    /**
     * A datagram of the secure layer's end-to-end session between two sites with no link of their
     * own ({@code PeerPath.Routed}): a Noise handshake message or a sealed record, whole with its
     * envelope, which the nodes on the route cannot open.
     */
    public static final int SEALED = 7;
    /**
     * A broadcast of revocation records signed by the group's CA ({@code RevocationCodec} list,
     * issue 19): every node checks each against its CA before it acts on it.
     */
    public static final int REVOCATION = 8;
    /**
     * A receiver's request that a source put its certificate into its next signed message to a
     * destination (the payload: that destination's 20-byte address), sent when a message that named
     * the certificate only by its fingerprint could not be checked ({@code security.CertificateIntroductions}).
     * Not signed: a forged one only makes the source send its certificate once more.
     */
    public static final int NEED_CERTIFICATE = 9;
    /**
     * An echo request routed to a node, and its answer routed back with the hops the request took
     * ({@code ring.echo}, issue 20): {@code ringswitch ping}.
     */
    public static final int ECHO = 10;

    private PayloadTypes() {
    }
}
