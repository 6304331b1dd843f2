package io.ringswitch.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What stands between a lab site and the underlay. An open site sits on the underlay itself; every
 * other kind puts a router namespace between the site and the underlay bridge ({@link EdgeRouter}),
 * whose nftables rules make it the NAT or firewall the kind names.
 */
public enum SiteEdge {
    /** On the underlay, reachable by anyone: the bootstrap sites are always open. */
    OPEN("open"),
    /**
     * NAT that keeps the site's source port where it is free (Linux {@code masquerade}): one public
     * endpoint for every peer, and only replies from the exact peer endpoint get in.
     */
    PORT_PRESERVING("port-preserving"),
    /**
     * NAT that draws a new random source port for every new flow ({@code masquerade random,fully-random}):
     * a public endpoint per peer (symmetric NAT), which hole punching cannot predict.
     */
    RANDOM("random"),
    /** NAT as {@link #PORT_PRESERVING} that drops all UDP both ways: the site can only use TCP. */
    UDP_BLOCKED("udp-blocked"),
    /**
     * No NAT (the site keeps its underlay address), but a stateful firewall that lets in only
     * replies to what the site sent: a proxy-ARP router in front of the site.
     */
    FIREWALLED("firewalled");

    private final String id;

    SiteEdge(String id) {
        this.id = id;
    }

    /** The name in YAML and in reports: {@code open}, {@code port-preserving}, ... */
    @JsonValue
    public String id() {
        return id;
    }

    /** Whether the site sits behind a NAT, on a private address of its own ({@code 172.16.SITE.2}). */
    public boolean translated() {
        return this == PORT_PRESERVING || this == RANDOM || this == UDP_BLOCKED;
    }

    /** Whether a router namespace stands between the site and the underlay. */
    public boolean routed() {
        return this != OPEN;
    }

    @JsonCreator
    public static SiteEdge of(String id) {
        return Arrays.stream(values()).filter(e -> e.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a site edge: " + id + " (edges: "
                        + Arrays.stream(values()).map(SiteEdge::id).collect(Collectors.joining(", ")) + ")"));
    }

    @Override
    public String toString() {
        return id;
    }
}
