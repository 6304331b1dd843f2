package io.ringswitch.controller.tunnel;

import io.ringswitch.controller.packet.NdCodec;
import io.ringswitch.controller.packet.NdMessage;
import io.ringswitch.controller.packet.RouterAdvertisement;
import io.ringswitch.controller.packet.RouterAdvertisementCodec;
import io.ringswitch.controller.packet.RouterSolicitation;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IPv6AddressWithMask;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The site as its hosts' IPv6 router (RFC 4861 §6.2): router advertisements from the site MAC's
 * link-local address, and the neighbour advertisement that resolves that address to the site MAC.
 * The router lifetime says whether hosts get an IPv6 default route at all: it is set only while
 * IPv6 is carried to a gateway that carries it, and 0 otherwise, so that a host whose IPv6 would
 * only be dropped has no default route to send it by (RFC 4861 §6.3.4: lifetime 0 removes the router
 * from the host's default router list at once).
 */
final class RouterAdvertiser {
    /** Unsolicited advertisements this often (RFC 4861 §6.2.1 MaxRtrAdvInterval, 4 to 1800 s). */
    static final long INTERVAL_MILLIS = 30_000;
    /** Three intervals (the RFC's default AdvDefaultLifetime is 3 x MaxRtrAdvInterval). */
    static final int LIFETIME_SECONDS = 90;
    private static final IPv6Address ALL_NODES = IPv6Address.of("ff02::1");
    private static final MacAddress ALL_NODES_MAC = MacAddress.of("33:33:00:00:00:01");

    private final MacAddress siteMac;
    private final IPv6Address linkLocal;
    private final int mtu;
    private final IPv6AddressWithMask prefix;

    /** {@code mtu}: the hosts' link MTU to advertise (0: none); {@code prefix}: the VPN's IPv6 prefix for SLAAC, or null. */
    RouterAdvertiser(MacAddress siteMac, int mtu, IPv6AddressWithMask prefix) {
        this.siteMac = siteMac;
        this.linkLocal = linkLocal(siteMac);
        this.mtu = mtu;
        this.prefix = prefix;
    }

    /** fe80::/64 with the modified EUI-64 interface identifier of {@code mac} (RFC 4291 §2.5.1 and Appendix A). */
    static IPv6Address linkLocal(MacAddress mac) {
        byte[] m = mac.getBytes();
        byte[] a = new byte[16];
        a[0] = (byte) 0xfe;
        a[1] = (byte) 0x80;
        a[8] = (byte) (m[0] ^ 0x02);
        a[9] = m[1];
        a[10] = m[2];
        a[11] = (byte) 0xff;
        a[12] = (byte) 0xfe;
        a[13] = m[3];
        a[14] = m[4];
        a[15] = m[5];
        return IPv6Address.of(a);
    }

    IPv6Address linkLocal() {
        return linkLocal;
    }

    /** An unsolicited advertisement to all nodes. */
    byte[] unsolicited(int lifetimeSeconds) {
        return RouterAdvertisementCodec.encode(new RouterAdvertisement(ALL_NODES_MAC, siteMac, linkLocal, ALL_NODES,
                lifetimeSeconds, mtu, prefix));
    }

    /**
     * The answer to {@code rs}: unicast to the solicitor when it has an address (RFC 4861 §6.2.6
     * allows it), to all nodes when it solicited from ::.
     */
    byte[] solicited(RouterSolicitation rs, int lifetimeSeconds) {
        if (rs.src().equals(IPv6Address.NONE)) {
            return unsolicited(lifetimeSeconds);
        }
        MacAddress to = rs.linkLayer() != null ? rs.linkLayer() : rs.ethSrc();
        return RouterAdvertisementCodec.encode(new RouterAdvertisement(to, siteMac, linkLocal, rs.src(), lifetimeSeconds, mtu,
                prefix));
    }

    /**
     * The answer to a solicitation for the link-local address: the site MAC, with the router flag set
     * (a host that saw it clear would drop the router from its default router list, RFC 4861 §7.2.5).
     */
    byte[] neighborAdvertisement(NdMessage ns) {
        boolean dad = ns.dadProbe();
        MacAddress to = dad ? ALL_NODES_MAC : ns.linkLayer() != null ? ns.linkLayer() : ns.ethSrc();
        int flags = NdMessage.ROUTER | NdMessage.OVERRIDE | (dad ? 0 : NdMessage.SOLICITED);
        return NdCodec.encode(new NdMessage(to, siteMac, linkLocal, dad ? ALL_NODES : ns.src(), NdMessage.ADVERTISEMENT, flags,
                linkLocal, siteMac));
    }
}
