package io.ringswitch.overlay.gateway;

import io.ringswitch.overlay.ring.RingAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link GatewayRecord} as a DHT value, the only place that knows its layout:
 * <pre>
 * version 1 (1) | flags (1: bit 0 ipv6, bit 1 withdrawn) | ring address (20) | MAC (6) | IPv4 (4)
 *   | load (8) | published at (8) | site name length (1) | site name (1-64, A-Z a-z 0-9 . _ -)
 * </pre>
 * Values come from any member of the group: every length, the MAC (unicast, not zero) and the
 * address (not 0.0.0.0) are checked before anything is kept.
 */
public final class GatewayRecordCodec {
    static final int VERSION = 1;
    static final int FIXED = 1 + 1 + RingAddress.BYTES + 6 + 4 + 8 + 8 + 1;
    static final int MAX_SITE = 64;
    private static final int IPV6 = 1;
    private static final int WITHDRAWN = 2;

    private GatewayRecordCodec() {
    }

    /** A value that is not a gateway record of this version. */
    public static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    public static byte[] encode(GatewayRecord r) {
        byte[] site = r.site().getBytes(StandardCharsets.US_ASCII);
        if (site.length < 1 || site.length > MAX_SITE) {
            throw new IllegalArgumentException("a gateway's site name has 1 to " + MAX_SITE + " characters: " + r.site());
        }
        ByteBuffer b = ByteBuffer.allocate(FIXED + site.length);
        b.put((byte) VERSION).put((byte) ((r.ipv6() ? IPV6 : 0) | (r.withdrawn() ? WITHDRAWN : 0))).put(r.address().toBytes());
        b.put(ByteBuffer.allocate(8).putLong(r.mac()).array(), 2, 6);
        b.putInt(r.ipv4()).putLong(r.load()).putLong(r.publishedAt()).put((byte) site.length).put(site);
        return b.array();
    }

    public static GatewayRecord decode(byte[] value) throws MalformedException {
        if (value.length < FIXED + 1 || value.length > FIXED + MAX_SITE) {
            throw new MalformedException("length " + value.length);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        if (b.get() != VERSION) {
            throw new MalformedException("version " + value[0]);
        }
        int flags = b.get() & 0xff;
        if ((flags & ~(IPV6 | WITHDRAWN)) != 0) {
            throw new MalformedException("flags " + flags);
        }
        byte[] address = new byte[RingAddress.BYTES];
        b.get(address);
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (b.get() & 0xff);
        }
        if (mac == 0 || (mac >>> 40 & 1) != 0) {
            throw new MalformedException("MAC not a unicast address");
        }
        int ipv4 = b.getInt();
        if (ipv4 == 0) {
            throw new MalformedException("address 0.0.0.0");
        }
        long load = b.getLong();
        long at = b.getLong();
        int siteLength = b.get() & 0xff;
        if (siteLength < 1 || siteLength != b.remaining()) {
            throw new MalformedException("site name length " + siteLength + " with " + b.remaining() + " bytes left");
        }
        byte[] site = new byte[siteLength];
        b.get(site);
        String name = new String(site, StandardCharsets.US_ASCII);
        if (!name.matches("[A-Za-z0-9._-]+") || load < 0) {
            throw new MalformedException("site name or load");
        }
        return new GatewayRecord(name, RingAddress.of(address), mac, ipv4, (flags & IPV6) != 0, load, at, (flags & WITHDRAWN) != 0);
    }
}
