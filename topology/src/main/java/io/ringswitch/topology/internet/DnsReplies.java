package io.ringswitch.topology.internet;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a DNS query (RFC 1035 §4.1) into the internet DNS server's reply: an A record for the names
 * it knows, no answer for their other types, and REFUSED for every other name (it is nobody's
 * recursive resolver). The one class that knows DNS byte offsets here.
 */
public final class DnsReplies {
    /** RFC 1035 §3.2.2: TYPE A; §3.2.4: CLASS IN. */
    static final int TYPE_A = 1;
    static final int CLASS_IN = 1;
    static final int RCODE_REFUSED = 5;
    static final int RCODE_FORMERR = 1;
    private static final int HEADER = 12;
    private static final int MAX_NAME = 255;
    private static final int TTL_SECONDS = 60;

    /** A query as read: its name (lower case, no trailing dot) and type. */
    public record Question(String name, int type) {
    }

    private final Map<String, byte[]> addresses;

    /** @param addresses the names answered, each with its IPv4 address (4 bytes) */
    public DnsReplies(Map<String, byte[]> addresses) {
        this.addresses = Map.copyOf(addresses);
    }

    /**
     * The question of a query: one question, QR clear, name within bounds (RFC 1035 §2.3.4, no
     * compression in a question). Empty for anything else.
     */
    public static Optional<Question> question(byte[] query, int length) {
        if (length < HEADER + 5 || length > query.length) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(query, 0, length);
        int flags = in.getShort(2) & 0xffff;
        int qdcount = in.getShort(4) & 0xffff;
        if ((flags & 0x8000) != 0 || qdcount != 1) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder();
        int at = HEADER;
        while (true) {
            if (at >= length) {
                return Optional.empty();
            }
            int label = query[at++] & 0xff;
            if (label == 0) {
                break;
            }
            if (label > 63 || at + label > length || name.length() + label + 1 > MAX_NAME) {
                return Optional.empty();
            }
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(query, at, label, StandardCharsets.US_ASCII).toLowerCase());
            at += label;
        }
        if (at + 4 > length) {
            return Optional.empty();
        }
        return Optional.of(new Question(name.toString(), in.getShort(at) & 0xffff));
    }

    /**
     * The reply to a query, or empty when the datagram is too short to hold even a header (nothing
     * to reply to). A malformed query gets FORMERR.
     */
    public Optional<byte[]> reply(byte[] query, int length) {
        if (length < HEADER) {
            return Optional.empty();
        }
        Optional<Question> q = question(query, length);
        ByteBuffer out = ByteBuffer.allocate(length + 16);
        out.put(query, 0, 2);
        int rd = query[2] & 0x01;
        if (q.isEmpty()) {
            out.putShort((short) (0x8000 | rd << 8 | 0x0080 | RCODE_FORMERR));
            out.putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0);
            return Optional.of(trim(out));
        }
        int questionEnd = HEADER + encodedLength(q.get().name()) + 4;
        byte[] address = addresses.get(q.get().name());
        boolean answer = address != null && q.get().type() == TYPE_A;
        // RFC 1035 §4.1.1: QR, opcode 0, AA for our own names, RD copied, RA set.
        int rcode = address == null ? RCODE_REFUSED : 0;
        out.putShort((short) (0x8000 | (address != null ? 0x0400 : 0) | rd << 8 | 0x0080 | rcode));
        out.putShort((short) 1).putShort((short) (answer ? 1 : 0)).putShort((short) 0).putShort((short) 0);
        out.put(query, HEADER, questionEnd - HEADER);
        if (answer) {
            // RFC 1035 §4.1.4: a pointer to the question's name at offset 12.
            out.putShort((short) 0xc00c).putShort((short) TYPE_A).putShort((short) CLASS_IN).putInt(TTL_SECONDS)
                    .putShort((short) 4).put(address);
        }
        return Optional.of(trim(out));
    }

    private static int encodedLength(String name) {
        return name.isEmpty() ? 1 : name.length() + 2;
    }

    private static byte[] trim(ByteBuffer out) {
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }
}
