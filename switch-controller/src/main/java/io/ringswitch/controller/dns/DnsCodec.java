package io.ringswitch.controller.dns;

import io.ringswitch.controller.packet.MalformedPacketException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * DNS messages to {@link DnsQuery} and answers back (RFC 1035 §4.1; AAAA from RFC 3596). The only
 * class that knows DNS byte offsets. It reads queries only: QR clear, opcode QUERY, one question, no
 * answer or authority records (additional records, e.g. an EDNS OPT, are allowed and ignored), and a
 * question name without compression, since a pointer in the first name of a message can only point
 * into the header or forward (and so loop). Every length is checked against the message before it
 * is read.
 */
final class DnsCodec {
    static final int HEADER = 12;
    static final int MAX_LABEL = 63;
    /** RFC 1035 §2.3.4: 255 octets, length bytes and the root's zero included. */
    static final int MAX_NAME = 255;
    /** The largest UDP message without EDNS (§2.3.4); a query is much smaller. */
    static final int MAX_MESSAGE = 512;
    static final int NOERROR = 0;
    static final int SERVFAIL = 2;
    static final int NXDOMAIN = 3;
    static final int TTL_SECONDS = 30;

    private DnsCodec() {
    }

    /** Reads a query from {@code message[offset, offset+length)}. */
    static DnsQuery decode(byte[] message, int offset, int length) throws MalformedPacketException {
        if (offset < 0 || length < 0 || offset + length > message.length) {
            throw new MalformedPacketException("DNS message beyond the frame");
        }
        if (length < HEADER) {
            throw new MalformedPacketException("DNS message of " + length + " bytes, shorter than its header");
        }
        if (length > MAX_MESSAGE) {
            throw new MalformedPacketException("DNS query of " + length + " bytes, longer than " + MAX_MESSAGE);
        }
        ByteBuffer b = ByteBuffer.wrap(message, offset, length).slice();
        int id = b.getShort(0) & 0xffff;
        int flags = b.getShort(2) & 0xffff;
        if ((flags & 0x8000) != 0) {
            throw new MalformedPacketException("a DNS response, not a query");
        }
        if (((flags >>> 11) & 0xf) != 0) {
            throw new MalformedPacketException("DNS opcode " + ((flags >>> 11) & 0xf) + ", not QUERY");
        }
        int questions = b.getShort(4) & 0xffff;
        if (questions != 1 || (b.getShort(6) & 0xffff) != 0 || (b.getShort(8) & 0xffff) != 0) {
            throw new MalformedPacketException("DNS query with " + questions + " questions, or with answer/authority records");
        }
        List<String> labels = new ArrayList<>();
        int at = HEADER;
        int nameLength = 0;
        while (true) {
            if (at >= length) {
                throw new MalformedPacketException("DNS name runs past the message");
            }
            int len = b.get(at) & 0xff;
            if ((len & 0xc0) == 0xc0) {
                throw new MalformedPacketException("compression pointer in the question's name");
            }
            if ((len & 0xc0) != 0) {
                throw new MalformedPacketException("DNS label type " + Integer.toBinaryString(len >>> 6));
            }
            nameLength += len + 1;
            if (nameLength > MAX_NAME) {
                throw new MalformedPacketException("DNS name longer than " + MAX_NAME + " bytes");
            }
            at++;
            if (len == 0) {
                break;
            }
            if (at + len > length) {
                throw new MalformedPacketException("DNS label of " + len + " bytes runs past the message");
            }
            labels.add(new String(message, offset + at, len, StandardCharsets.ISO_8859_1));
            at += len;
        }
        if (at + 4 > length) {
            throw new MalformedPacketException("DNS question without its type and class");
        }
        return new DnsQuery(id, (flags & 0x0100) != 0, labels, b.getShort(at) & 0xffff, b.getShort(at + 2) & 0xffff, at + 4);
    }

    /**
     * The answer to {@code query} (whose message is {@code message[offset...]}): the header with QR,
     * AA (when {@code authoritative}) and RA set and {@code rcode}, the question echoed, and one A or
     * AAAA record per address of the query's type (§4.1.3), its name a pointer to the question's.
     */
    static byte[] answer(byte[] message, int offset, DnsQuery query, int rcode, boolean authoritative, List<InetAddress> addresses) {
        List<byte[]> rdata = new ArrayList<>();
        for (InetAddress a : addresses) {
            if ((query.type() == DnsQuery.TYPE_A && a instanceof Inet4Address)
                    || (query.type() == DnsQuery.TYPE_AAAA && a instanceof Inet6Address)) {
                rdata.add(a.getAddress());
            }
        }
        int size = query.questionEnd();
        for (byte[] r : rdata) {
            size += 12 + r.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort((short) query.id());
        int flags = 0x8000 | (authoritative ? 0x0400 : 0) | (query.recursion() ? 0x0100 : 0) | 0x0080 | (rcode & 0xf);
        out.putShort((short) flags);
        out.putShort((short) 1).putShort((short) rdata.size()).putShort((short) 0).putShort((short) 0);
        out.put(message, offset + HEADER, query.questionEnd() - HEADER);
        for (byte[] r : rdata) {
            out.putShort((short) (0xc000 | HEADER));
            out.putShort((short) query.type()).putShort((short) DnsQuery.CLASS_IN).putInt(TTL_SECONDS);
            out.putShort((short) r.length).put(r);
        }
        return out.array();
    }

    /** The rcode of a response message (tests and logs). */
    static int rcode(byte[] message, int offset) {
        return message[offset + 3] & 0xf;
    }
}
