package io.ringswitch.overlay.offload;

import io.netty.buffer.ByteBuf;

/** The Internet checksum (RFC 1071) over bytes of a buffer, and the TCP/UDP pseudo-headers (RFC 793, RFC 8200 §8.1). */
public final class Checksums {
    private Checksums() {
    }

    /** The ones' complement sum of {@code length} bytes at {@code index}, added to {@code sum}, not folded. */
    public static long add(long sum, ByteBuf buf, int index, int length) {
        int i = index;
        int end = index + length;
        // Eight bytes at a time: the sum of the two 32-bit halves, folded before it could overflow.
        while (end - i >= 8) {
            long v = buf.getLong(i);
            sum += (v >>> 32) + (v & 0xffffffffL);
            if (sum < 0) {
                sum = (sum & 0xffffffffL) + (sum >>> 32);
            }
            i += 8;
        }
        if (end - i >= 4) {
            sum += buf.getUnsignedInt(i);
            i += 4;
        }
        if (end - i >= 2) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) {
            sum += (buf.getUnsignedByte(i) << 8);
        }
        return sum;
    }

    /** Folds a running sum to 16 bits (not complemented). */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum to store: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /**
     * The pseudo-header sum for a transport segment of {@code length} bytes and protocol
     * {@code proto}, the addresses read from the IP header at {@code l3}.
     */
    public static long pseudoHeader(ByteBuf frame, int l3, boolean ipv6, int proto, int length) {
        long sum = ipv6 ? add(0, frame, l3 + 8, 32) : add(0, frame, l3 + 12, 8);
        return sum + proto + length;
    }

    /** Rewrites the IPv4 header checksum of the header at {@code l3}. */
    public static void ipv4Header(ByteBuf frame, int l3, int headerLength) {
        frame.setShort(l3 + 10, 0);
        frame.setShort(l3 + 10, finish(add(0, frame, l3, headerLength)));
    }
}
