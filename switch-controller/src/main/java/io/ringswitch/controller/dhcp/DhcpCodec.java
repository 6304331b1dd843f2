package io.ringswitch.controller.dhcp;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;

/**
 * The only place that knows DHCP's byte layout (RFC 2131 §2 and figure 1; options RFC 2132 §2):
 * reads a message from a UDP payload, bounding every length before it allocates, and writes
 * replies.
 */
final class DhcpCodec {
    /** op .. file: the fixed BOOTP part. */
    static final int FIXED = 236;
    static final int MAGIC_COOKIE = 0x63825363;
    /** RFC 2131 §2: a client must accept messages of up to 576 bytes; more than a frame is refused. */
    static final int MAX_LENGTH = 1500;
    static final int MAX_OPTIONS = 64;

    /** Why a message was refused. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private DhcpCodec() {
    }

    /** Reads the message in {@code length} bytes at {@code at}. */
    static DhcpMessage decode(ByteBuf buf, int at, int length) throws Malformed {
        if (length < FIXED + 4) {
            throw new Malformed("shorter than a DHCP message (" + length + " bytes)");
        }
        if (length > MAX_LENGTH) {
            throw new Malformed("longer than a frame (" + length + " bytes)");
        }
        int op = buf.getUnsignedByte(at);
        if (op != DhcpMessage.BOOTREQUEST && op != DhcpMessage.BOOTREPLY) {
            throw new Malformed("op " + op);
        }
        if (buf.getUnsignedByte(at + 1) != 1 || buf.getUnsignedByte(at + 2) != 6) {
            throw new Malformed("hardware type " + buf.getUnsignedByte(at + 1) + " length " + buf.getUnsignedByte(at + 2)
                    + " (only Ethernet)");
        }
        if (buf.getInt(at + FIXED) != MAGIC_COOKIE) {
            throw new Malformed("no magic cookie (BOOTP without DHCP)");
        }
        byte[] chaddr = new byte[6];
        buf.getBytes(at + 28, chaddr);
        Map<Integer, byte[]> options = new HashMap<>();
        int p = at + FIXED + 4;
        int end = at + length;
        boolean ended = false;
        while (p < end) {
            int code = buf.getUnsignedByte(p++);
            if (code == 0) {
                continue;
            }
            if (code == 255) {
                ended = true;
                break;
            }
            if (p >= end) {
                throw new Malformed("option " + code + " has no length");
            }
            int len = buf.getUnsignedByte(p++);
            if (p + len > end) {
                throw new Malformed("option " + code + " runs " + (p + len - end) + " bytes past the message");
            }
            byte[] value = new byte[len];
            buf.getBytes(p, value);
            p += len;
            // RFC 3396: an option that appears again continues the first.
            options.merge(code, value, DhcpCodec::concat);
            if (options.size() > MAX_OPTIONS) {
                throw new Malformed("more than " + MAX_OPTIONS + " options");
            }
        }
        if (!ended) {
            throw new Malformed("options do not end (no option 255)");
        }
        DhcpMessage m = new DhcpMessage(op, buf.getInt(at + 4), buf.getUnsignedShort(at + 10), buf.getInt(at + 12),
                buf.getInt(at + 16), buf.getInt(at + 20), buf.getInt(at + 24), chaddr, options);
        int type = m.type();
        if (type < DhcpMessage.DISCOVER || type > DhcpMessage.INFORM) {
            throw new Malformed("message type " + type);
        }
        return m;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Writes a reply to {@code request}: BOOTREPLY with the request's xid, flags, giaddr and chaddr,
     * then the options in the order given (each value at most 255 bytes), then end. Returns the
     * number of bytes written.
     */
    static int encodeReply(DhcpMessage request, int ciaddr, int yiaddr, int siaddr, Map<Integer, byte[]> options,
                           ByteBuf out) {
        int start = out.writerIndex();
        out.writeByte(DhcpMessage.BOOTREPLY).writeByte(1).writeByte(6).writeByte(0);
        out.writeInt(request.xid()).writeShort(0).writeShort(request.flags());
        out.writeInt(ciaddr).writeInt(yiaddr).writeInt(siaddr).writeInt(request.giaddr());
        out.writeBytes(request.chaddr()).writeZero(10 + 64 + 128);
        out.writeInt(MAGIC_COOKIE);
        for (Map.Entry<Integer, byte[]> o : options.entrySet()) {
            out.writeByte(o.getKey()).writeByte(o.getValue().length).writeBytes(o.getValue());
        }
        out.writeByte(255);
        // Some clients take nothing shorter than a BOOTP message (300 bytes).
        int written = out.writerIndex() - start;
        if (written < 300) {
            out.writeZero(300 - written);
        }
        return out.writerIndex() - start;
    }
}
