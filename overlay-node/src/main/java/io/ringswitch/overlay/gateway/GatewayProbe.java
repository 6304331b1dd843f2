package io.ringswitch.overlay.gateway;

/** The gateway probe, routed over the ring: a client asks, the gateway answers with what it is now. */
public sealed interface GatewayProbe {

    /** "Are you a gateway, and how far?" {@code nonce}: unguessable, echoed in the answer. */
    record Request(long nonce) implements GatewayProbe {
    }

    /**
     * The gateway's answer: the nonce of the request, the MAC and VPN address of its gateway port
     * (which the client checks against the record), whether it carries IPv6, its load (bytes a second).
     */
    record Reply(long nonce, long mac, int ipv4, boolean ipv6, long load) implements GatewayProbe {
    }
}
