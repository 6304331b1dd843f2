package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.underlay.WireFormat;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Signed routed payloads between two members, and what a third member or a stranger tries
 * against them: each attempt refused by reason. Prints the size a signature adds and what signing
 * and checking cost per message (figures only; not asserted).
 */
class SourceSignaturesTest {
    private static final Instant NOW = Instant.now();
    private static final byte[] PAYLOAD = "a DHT store of 40 bytes, more or less...".getBytes(StandardCharsets.US_ASCII);
    private final GroupCa ca = GroupCa.create("lab", NOW.minusSeconds(3600), Duration.ofDays(30));

    private static NodeIdentity member(GroupCa ca, String name) throws Exception {
        KeyPair key = GroupCa.newKeyPair();
        return new NodeIdentity(key.getPrivate(), NodeCertificate.readUnverified(
                ca.issue(name, key.getPublic(), Optional.empty(), NOW.minusSeconds(60), Duration.ofDays(1))), ca.certificate());
    }

    private static RingAddress address(NodeIdentity id) {
        return id.certificate().address();
    }

    @Test
    void aPayloadOpensOnlyAsItsSourceSignedIt() throws Exception {
        NodeIdentity a = member(ca, "a");
        NodeIdentity b = member(ca, "b");
        NodeIdentity m = member(ca, "m");
        SourceSignatures aSigns = new SourceSignatures(a, Instant::now);
        SourceSignatures mSigns = new SourceSignatures(m, Instant::now);
        SourceSignatures bChecks = new SourceSignatures(b, Instant::now);
        RingAddress dst = address(b);

        byte[] signed = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        assertArrayEquals(PAYLOAD, bChecks.openRouted(address(a), dst, PayloadTypes.DHT, signed));
        assertArrayEquals(PAYLOAD, bChecks.openRouted(address(a), dst, PayloadTypes.DHT, signed), "again, from the cache");

        // m in a's name, with its own certificate.
        assertNull(bChecks.openRouted(address(a), dst, PayloadTypes.DHT,
                mSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD)));
        assertEquals(1, bChecks.refused("not-the-source"));
        // a's message re-addressed, re-typed or altered on the way.
        assertNull(bChecks.openRouted(address(a), address(m), PayloadTypes.DHT, signed));
        assertNull(bChecks.openRouted(address(a), dst, PayloadTypes.CONNECT, signed));
        byte[] altered = signed.clone();
        altered[5] ^= 1;
        assertNull(bChecks.openRouted(address(a), dst, PayloadTypes.DHT, altered));
        assertEquals(3, bChecks.refused("bad-signature"));
        // a's own certificate with m's signature: m does not hold a's key.
        byte[] mUnderACertificate = signed.clone();
        byte[] byM = mSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        byte[] mSignature = Arrays.copyOfRange(byM, byM.length - 64, byM.length);
        System.arraycopy(mSignature, 0, mUnderACertificate, signed.length - 64, 64);
        assertNull(bChecks.openRouted(address(a), dst, PayloadTypes.DHT, mUnderACertificate));
        assertEquals(4, bChecks.refused("bad-signature"));
        // A member of another group, its certificate naming itself.
        GroupCa other = GroupCa.create("other", NOW.minusSeconds(3600), Duration.ofDays(30));
        NodeIdentity stranger = member(other, "s");
        assertNull(bChecks.openRouted(address(stranger), dst, PayloadTypes.DHT,
                new SourceSignatures(stranger, Instant::now).signRouted(address(stranger), dst, PayloadTypes.DHT, PAYLOAD)));
        assertEquals(1, bChecks.refused("certificate-other-ca"));
        // A broadcast's id is signed too: a replay under a new id does not open.
        byte[] broadcast = aSigns.signBroadcast(address(a), 42, PayloadTypes.FRAME, PAYLOAD);
        assertArrayEquals(PAYLOAD, bChecks.openBroadcast(address(a), 42, PayloadTypes.FRAME, broadcast));
        assertNull(bChecks.openBroadcast(address(a), 43, PayloadTypes.FRAME, broadcast));
        // End-to-end sealed payloads carry no signature: their session proves them.
        assertSame(PAYLOAD, aSigns.signRouted(address(a), dst, PayloadTypes.SEALED, PAYLOAD));
    }

    @Test
    void everyPrefixAndRandomBytesAreRefusedWithoutAThrow() throws Exception {
        NodeIdentity a = member(ca, "a");
        NodeIdentity b = member(ca, "b");
        SourceSignatures bChecks = new SourceSignatures(b, Instant::now);
        byte[] signed = new SourceSignatures(a, Instant::now).signRouted(address(a), address(b), PayloadTypes.DHT, PAYLOAD);
        for (int n = 0; n < signed.length; n++) {
            assertNull(bChecks.openRouted(address(a), address(b), PayloadTypes.DHT, Arrays.copyOf(signed, n)), "prefix " + n);
        }
        Random random = new Random(18);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = signed.clone();
            junk[random.nextInt(junk.length)] = (byte) random.nextInt();
            byte[] opened = bChecks.openRouted(address(a), address(b), PayloadTypes.DHT, junk);
            if (opened != null) {
                assertArrayEquals(PAYLOAD, opened, "only an unchanged byte opens");
            }
        }
    }

    @Test
    void aProtocolsLargestPayloadSignedStillFitsARoutedMessageAndTheEnvelope() throws Exception {
        NodeIdentity a = member(ca, "a");
        NodeIdentity b = member(ca, "b");
        byte[] largest = new byte[RingMessageCodec.MAX_PROTOCOL_PAYLOAD];
        new Random(18).nextBytes(largest);
        byte[] signed = new SourceSignatures(a, Instant::now).signRouted(address(a), address(b), PayloadTypes.DHT, largest);
        RingMessage.Routed m = new RingMessage.Routed(address(a), address(b), RoutingMode.EXACT, 64, 0, true, 1,
                PayloadTypes.DHT, signed);
        ByteBuf buf = Unpooled.buffer();
        RingMessageCodec.encode(m, buf);
        assertTrue(buf.readableBytes() + WireFormat.RECORD_HEADER + WireFormat.RECORD_TAG <= WireFormat.MAX_PAYLOAD,
                buf.readableBytes() + " bytes");
        RingMessage.Routed back = (RingMessage.Routed) RingMessageCodec.decode(buf);
        assertArrayEquals(largest, new SourceSignatures(b, Instant::now).openRouted(back.from(), back.dst(),
                back.payloadType(), back.payload()));
    }

    @Test
    void whatASignatureCosts() throws Exception {
        NodeIdentity a = member(ca, "a");
        NodeIdentity b = member(ca, "b");
        SourceSignatures aSigns = new SourceSignatures(a, Instant::now);
        SourceSignatures bChecks = new SourceSignatures(b, Instant::now);
        RingAddress dst = address(b);
        int rounds = 300;
        byte[][] signed = new byte[rounds][];
        for (int warm = 0; warm < 2; warm++) {
            for (int i = 0; i < rounds; i++) {
                signed[i] = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
                bChecks.openRouted(address(a), dst, PayloadTypes.DHT, signed[i]);
            }
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            signed[i] = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            bChecks.openRouted(address(a), dst, PayloadTypes.DHT, signed[i]);
        }
        long t2 = System.nanoTime();
        SourceSignatures cold = new SourceSignatures(b, Instant::now);
        long t3 = System.nanoTime();
        cold.openRouted(address(a), dst, PayloadTypes.DHT, signed[0]);
        long t4 = System.nanoTime();
        System.out.printf("source signatures: %d bytes added per routed message (certificate %d B, signature 64 B); "
                        + "sign %.0f us, check with the certificate known %.0f us, first check of a certificate %.0f us "
                        + "(%d rounds, after warm-up; shared machine)%n",
                aSigns.overhead(), a.certificate().certificate().getEncoded().length, (t1 - t0) / 1e3 / rounds,
                (t2 - t1) / 1e3 / rounds, (t4 - t3) / 1e3, rounds);
    }
}
