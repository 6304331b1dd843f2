package io.ringswitch.controller.pipeline;

import org.projectfloodlight.openflow.types.U64;

/** One cookie per manager (OpenFlow 1.3 §7.3.4.1 flow cookies): each finds, replaces and deletes only its own flows. */
public final class Cookies {
    public static final U64 PIPELINE = U64.of(0x5253_0001L);
    public static final U64 HOSTS = U64.of(0x5253_0002L);
    public static final U64 PORT_SECURITY = U64.of(0x5253_0003L);
    public static final U64 ARP_ND = U64.of(0x5253_0004L);
    public static final U64 DHCP = U64.of(0x5253_0005L);
    public static final U64 MULTICAST = U64.of(0x5253_0006L);
    public static final U64 FORWARDING = U64.of(0x5253_0007L);
    public static final U64 STORM = U64.of(0x5253_0008L);
    public static final U64 MTU = U64.of(0x5253_0009L);
    public static final U64 TUNNEL = U64.of(0x5253_000aL);
    public static final U64 DNS = U64.of(0x5253_000bL);
    /** Every cookie of ours has these bits; a delete with this mask removes only our flows. */
    public static final U64 MASK = U64.of(0xffff_ffffL);

    private Cookies() {
    }

    /**
     * A sub-cookie of a manager's cookie: the same low 32 bits (so packet-ins still reach the manager)
     * and {@code kind} in the high 32 bits, for flows that a switch counter counts on their own (see
     * {@link SwitchManager#flowCounters()}). A manager deletes such flows with a {@link Flows} made for
     * the sub-cookie.
     */
    public static U64 sub(U64 cookie, int kind) {
        return U64.of((cookie.getValue() & MASK.getValue()) | ((kind & 0xffff_ffffL) << 32));
    }

    /** The manager's cookie a (sub-)cookie belongs to. */
    public static U64 owner(U64 cookie) {
        return U64.of(cookie.getValue() & MASK.getValue());
    }
}
