package io.ringswitch.controller.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringswitch.controller.packet.MalformedPacketException;
import io.ringswitch.controller.pipeline.Frames;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/** The DNS codec and its frames on partial, random and hostile input: refused with MalformedPacketException, nothing else thrown. */
class DnsCodecTest {
    private static final byte[] QUERY = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
        3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};

    @Test
    void aQueryIsReadAndItsAnswerEchoesItsQuestion() throws Exception {
        DnsQuery q = DnsCodec.decode(QUERY, 0, QUERY.length);
        assertEquals(List.of("www", "example", "com"), q.labels());
        assertEquals(DnsQuery.TYPE_A, q.type());
        assertEquals(QUERY.length, q.questionEnd());
        byte[] answer = DnsCodec.answer(QUERY, 0, q, DnsCodec.NOERROR, true, List.of(InetAddress.getByName("10.77.1.2"),
                InetAddress.getByName("2001:db8::1")));
        assertEquals(QUERY.length + 16, answer.length, "one A record; the IPv6 address is not of the asked type");
        assertEquals(0, DnsCodec.rcode(answer, 0));
        assertEquals(Arrays.toString(Arrays.copyOfRange(QUERY, 12, QUERY.length)),
                Arrays.toString(Arrays.copyOfRange(answer, 12, QUERY.length)));
    }

    @Test
    void everyPrefixOfAQueryIsRefused() {
        for (int n = 0; n < QUERY.length; n++) {
            int length = n;
            assertThrows(MalformedPacketException.class, () -> DnsCodec.decode(QUERY, 0, length), "prefix of " + n);
        }
    }

    @Test
    void everyPrefixOfAQueryFrameIsRefusedOrRead() {
        byte[] frame = Frames.udp(MacAddress.of("02:00:00:00:00:0a"), MacAddress.of("02:52:00:00:00:01"), IPv4Address.of("10.77.1.2"),
                IPv4Address.of("10.77.255.254"), 40000, 53, QUERY);
        for (int n = 0; n <= frame.length; n++) {
            byte[] cut = Arrays.copyOf(frame, n);
            try {
                DnsFrames.Located at = DnsFrames.locate(cut);
                DnsCodec.decode(cut, at.payloadAt(), at.payloadLength());
            } catch (MalformedPacketException expected) {
                // refused: what a cut frame must get
            }
        }
    }

    /** Attacker test: random bytes after a plausible header never throw anything but MalformedPacketException. */
    @Test
    void randomMessagesAreRefusedWithoutOtherExceptions() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = new byte[random.nextInt(80)];
            random.nextBytes(m);
            if (m.length > 6) {
                m[2] &= 0x07;
                m[4] = 0;
                m[5] = 1;
            }
            try {
                DnsQuery q = DnsCodec.decode(m, 0, m.length);
                DnsCodec.answer(m, 0, q, DnsCodec.NXDOMAIN, true, List.of());
            } catch (MalformedPacketException expected) {
                // refused
            }
        }
    }
}
