package io.ringswitch.overlay.offload;

import io.netty.buffer.ByteBuf;

/**
 * The header a TAP device opened with {@code IFF_VNET_HDR} puts in front of every frame
 * ({@code struct virtio_net_hdr}, virtio 1.2 §5.1.6; 10 bytes, little-endian on this machine): what
 * the kernel left undone (a checksum to fill in, a super-frame to cut into segments).
 *
 * @param flags      {@link #NEEDS_CSUM}: the checksum from {@code csumStart} on is to be completed
 * @param gsoType    {@link #GSO_NONE}, {@link #GSO_TCPV4}, {@link #GSO_TCPV6} (maybe with {@link #GSO_ECN})
 * @param hdrLen     bytes of headers in front of the payload (a hint)
 * @param gsoSize    payload bytes per segment
 * @param csumStart  where the checksummed part starts, from the start of the frame
 * @param csumOffset where in it the checksum goes
 */
public record VirtioNetHeader(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
    public static final int LENGTH = 10;
    public static final int NEEDS_CSUM = 1;
    public static final int DATA_VALID = 2;
    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_ECN = 0x80;
    /** A frame that needs nothing done. */
    public static final VirtioNetHeader NONE = new VirtioNetHeader(0, GSO_NONE, 0, 0, 0, 0);

    public static VirtioNetHeader read(ByteBuf buf, int index) {
        return new VirtioNetHeader(buf.getUnsignedByte(index), buf.getUnsignedByte(index + 1),
                buf.getUnsignedShortLE(index + 2), buf.getUnsignedShortLE(index + 4),
                buf.getUnsignedShortLE(index + 6), buf.getUnsignedShortLE(index + 8));
    }

    public void write(ByteBuf buf, int index) {
        buf.setByte(index, flags);
        buf.setByte(index + 1, gsoType);
        buf.setShortLE(index + 2, hdrLen);
        buf.setShortLE(index + 4, gsoSize);
        buf.setShortLE(index + 6, csumStart);
        buf.setShortLE(index + 8, csumOffset);
    }

    public boolean segmented() {
        return (gsoType & ~GSO_ECN) != GSO_NONE;
    }

    public boolean needsChecksum() {
        return (flags & NEEDS_CSUM) != 0;
    }
}
