package io.ringswitch.topology.internet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsRepliesTest {
    private static final byte[] WEB = {(byte) 198, 51, 100, 10};
    private final DnsReplies dns = new DnsReplies(Map.of("www.example.test", WEB));

    /** A query as a stub resolver sends it (RFC 1035 §4.1): id, RD, one question. */
    static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {0, 0, (byte) type, 0, 1});
        return out.toByteArray();
    }

    @Test
    void aKnownNameGetsItsAddressAndTheSameId() {
        byte[] q = query(0x1234, "WWW.example.test", DnsReplies.TYPE_A);
        byte[] r = dns.reply(q, q.length).orElseThrow();
        ByteBuffer in = ByteBuffer.wrap(r);
        assertEquals(0x1234, in.getShort(0) & 0xffff);
        assertTrue((in.getShort(2) & 0x8000) != 0, "a response");
        assertEquals(0, in.getShort(2) & 0x000f, "NOERROR");
        assertEquals(1, in.getShort(6), "one answer");
        assertArrayEquals(WEB, Arrays.copyOfRange(r, r.length - 4, r.length));
    }

    @Test
    void otherNamesAreRefusedAndOtherTypesGetNoAnswer() {
        byte[] q = query(7, "www.google.com", DnsReplies.TYPE_A);
        ByteBuffer r = ByteBuffer.wrap(dns.reply(q, q.length).orElseThrow());
        assertEquals(DnsReplies.RCODE_REFUSED, r.getShort(2) & 0x000f);
        assertEquals(0, r.getShort(6));
        byte[] aaaa = query(8, "www.example.test", 28);
        ByteBuffer r6 = ByteBuffer.wrap(dns.reply(aaaa, aaaa.length).orElseThrow());
        assertEquals(0, r6.getShort(2) & 0x000f);
        assertEquals(0, r6.getShort(6));
    }

    @Test
    void malformedQueriesGetFormerrOrNothingAndNeverAnAnswer() {
        byte[] q = query(9, "www.example.test", DnsReplies.TYPE_A);
        for (int cut = 0; cut < q.length; cut++) {
            Optional<byte[]> r = dns.reply(q, cut);
            if (cut < 12) {
                assertTrue(r.isEmpty(), "no header at " + cut);
            } else {
                assertEquals(DnsReplies.RCODE_FORMERR, ByteBuffer.wrap(r.orElseThrow()).getShort(2) & 0x000f, "cut at " + cut);
            }
        }
        byte[] looping = q.clone();
        looping[12] = (byte) 0xc0;
        assertEquals(DnsReplies.RCODE_FORMERR, ByteBuffer.wrap(dns.reply(looping, looping.length).orElseThrow()).getShort(2) & 0x0f,
                "a compression pointer in the question is refused, not followed");
    }
}
