package io.ringswitch.controller.multicast;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;

/**
 * Which IP multicast group a frame goes to, and which groups stay on the link: shared by the
 * controller's multicast tables and the overlay's sending to member sites, so that both draw the
 * line between link-local and routed groups in the same place.
 */
public final class GroupAddresses {
    private GroupAddresses() {
    }

    /** The IP multicast group an untagged frame is sent to, null when it carries none. */
    public static InetAddress ipGroup(ByteBuf frame) {
        int at = frame.readerIndex();
        int type = frame.readableBytes() >= 14 ? frame.getUnsignedShort(at + 12) : 0;
        if (type == 0x0800 && frame.readableBytes() >= 14 + 20 && (frame.getUnsignedByte(at + 14) >> 4) == 4) {
            int dst = frame.getInt(at + 14 + 16);
            return (dst >>> 28) == 0xe ? IgmpCodec.v4(dst) : null;
        }
        if (type == 0x86dd && frame.readableBytes() >= 14 + 40 && frame.getUnsignedByte(at + 14 + 24) == 0xff) {
            byte[] dst = new byte[16];
            frame.getBytes(at + 14 + 24, dst);
            return MldCodec.v6(dst);
        }
        return null;
    }

    /** 224.0.0.0/24 (RFC 5771 §4), and IPv6 interface- and link-local scopes (RFC 4291 §2.7). */
    public static boolean linkLocal(InetAddress group) {
        byte[] a = group.getAddress();
        if (a.length == 4) {
            return (a[0] & 0xff) == 224 && a[1] == 0 && a[2] == 0;
        }
        return (a[1] & 0x0f) <= 2;
    }
}
