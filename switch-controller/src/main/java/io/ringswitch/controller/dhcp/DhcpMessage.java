package io.ringswitch.controller.dhcp;

import java.util.Arrays;
import java.util.Map;

/**
 * A DHCP message (RFC 2131 §2, options RFC 2132): the BOOTP fields the server uses and the options
 * by code. Addresses are IPv4 ints; {@code chaddr} is the client's 6-byte MAC.
 */
record DhcpMessage(int op, int xid, int flags, int ciaddr, int yiaddr, int siaddr, int giaddr, byte[] chaddr,
                   Map<Integer, byte[]> options) {
    static final int BOOTREQUEST = 1;
    static final int BOOTREPLY = 2;
    static final int DISCOVER = 1;
    static final int OFFER = 2;
    static final int REQUEST = 3;
    static final int DECLINE = 4;
    static final int ACK = 5;
    static final int NAK = 6;
    static final int RELEASE = 7;
    static final int INFORM = 8;
    static final int OPT_SUBNET_MASK = 1;
    static final int OPT_ROUTER = 3;
    /** RFC 2132 §3.14. */
    static final int OPT_HOST_NAME = 12;
    static final int OPT_DNS = 6;
    static final int OPT_MTU = 26;
    static final int OPT_REQUESTED_IP = 50;
    static final int OPT_LEASE_TIME = 51;
    static final int OPT_MESSAGE_TYPE = 53;
    static final int OPT_SERVER_ID = 54;
    static final int OPT_MESSAGE = 56;
    static final int OPT_RENEWAL_TIME = 58;
    static final int OPT_REBINDING_TIME = 59;
    static final int OPT_CLIENT_ID = 61;
    /** Set in {@code flags} by a client that cannot receive unicast before it has an address (§4.1). */
    static final int FLAG_BROADCAST = 0x8000;

    /** An option's value as sent, or null when absent. */
    byte[] option(int option) {
        return options.get(option);
    }

    /** The message type (option 53), or 0 when absent or malformed. */
    int type() {
        byte[] t = options.get(OPT_MESSAGE_TYPE);
        return t != null && t.length == 1 ? t[0] & 0xff : 0;
    }

    /** An address option (e.g. 50, 54), or 0 when absent or not 4 bytes. */
    int address(int option) {
        byte[] v = options.get(option);
        return v != null && v.length == 4 ? (v[0] & 0xff) << 24 | (v[1] & 0xff) << 16 | (v[2] & 0xff) << 8 | v[3] & 0xff : 0;
    }

    /**
     * Who the client is (§4.2): its client identifier (option 61) when it sends one, else hardware
     * type 1 and its MAC, the form most clients use for option 61 too.
     */
    byte[] clientKey() {
        byte[] id = options.get(OPT_CLIENT_ID);
        if (id != null && id.length >= 2) {
            return id;
        }
        byte[] key = new byte[7];
        key[0] = 1;
        System.arraycopy(chaddr, 0, key, 1, 6);
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpMessage m && m.xid == xid && m.op == op && Arrays.equals(m.chaddr, chaddr);
    }

    @Override
    public int hashCode() {
        return xid;
    }
}
