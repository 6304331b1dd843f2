package io.ringswitch.controller.packet;

import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An IPv6 router advertisement (RFC 4861 §4.2) as a router on the link sends it, with the options
 * this project uses: the router's link-layer address, the link MTU, and one on-link prefix that
 * hosts may form addresses in (SLAAC, RFC 4862 §5.5.3).
 *
 * @param ethDst          the frame's destination MAC (33:33:00:00:00:01 for all nodes)
 * @param router          the router's MAC: the frame's source and the source link-layer address option
 * @param src             the router's link-local address
 * @param dst             ff02::1, or a soliciting host's address
 * @param lifetimeSeconds how long hosts may use this router as a default router; 0: not a default router (RFC 4861 §6.3.4)
 * @param mtu             the link MTU to use, 0 for none
 * @param prefix          the on-link prefix with its autonomous flag set, or null
 */
public record RouterAdvertisement(MacAddress ethDst, MacAddress router, IPv6Address src, IPv6Address dst, int lifetimeSeconds,
                                  int mtu, IPv6AddressWithMask prefix) {
    /** The largest router lifetime RFC 4861 §6.2.1 allows (AdvDefaultLifetime up to 9000 s). */
    public static final int MAX_LIFETIME_SECONDS = 9000;

    public RouterAdvertisement {
        if (lifetimeSeconds < 0 || lifetimeSeconds > MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("router lifetime " + lifetimeSeconds + " s, not 0 to " + MAX_LIFETIME_SECONDS);
        }
    }
}
