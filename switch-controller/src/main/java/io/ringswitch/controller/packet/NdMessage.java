package io.ringswitch.controller.packet;

import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * An IPv6 neighbour solicitation or advertisement (RFC 4861 §4.3, §4.4) with the Ethernet and IPv6
 * addresses it travelled with.
 *
 * @param ethDst    the frame's destination MAC
 * @param ethSrc    the frame's source MAC
 * @param src       the IPv6 source (:: in a duplicate address detection probe, RFC 4862 §5.4.2)
 * @param dst       the IPv6 destination
 * @param type      {@link #SOLICITATION} or {@link #ADVERTISEMENT}
 * @param flags     the advertisement's R/S/O bits ({@link #SOLICITED}, {@link #OVERRIDE}); 0 in a solicitation
 * @param target    the target address
 * @param linkLayer the source (solicitation) or target (advertisement) link-layer address option, or null
 */
public record NdMessage(MacAddress ethDst, MacAddress ethSrc, IPv6Address src, IPv6Address dst, int type, int flags,
                        IPv6Address target, MacAddress linkLayer) {
    public static final int SOLICITATION = 135;
    public static final int ADVERTISEMENT = 136;
    public static final int ROUTER = 0x80;
    public static final int SOLICITED = 0x40;
    public static final int OVERRIDE = 0x20;

    /** A duplicate address detection probe: a solicitation from the unspecified address. */
    public boolean dadProbe() {
        return type == SOLICITATION && src.equals(IPv6Address.NONE);
    }
}
