package io.ringswitch.controller.packet;

import io.netty.buffer.ByteBuf;

/** The Internet checksum (RFC 1071): one's complement sum of 16-bit words. */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /** Adds {@code length} bytes at {@code at} to a running sum (not yet folded). */
    public static long add(long sum, ByteBuf buf, int at, int length) {
        int end = at + length;
        int i = at;
        for (; i + 1 < end; i += 2) {
            sum += buf.getUnsignedShort(i);
        }
        if (i < end) {
            sum += buf.getUnsignedByte(i) << 8;
        }
        return sum;
    }

    /** The folded, complemented checksum of a sum; 0 when the sum covers a correct checksum. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }
}
