package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A routed message carries its source's certificate to a destination once and a fingerprint after
 * that: the second message is smaller and still checks; a receiver that lacks the certificate
 * refuses the message and asks for it, and the next message carries it; a member that forges a
 * compact message in another's name, under either certificate's fingerprint, is refused.
 */
class CertificateIntroductionsTest {
    private static final Instant NOW = Instant.now();
    private static final byte[] PAYLOAD = "a DHT store of 40 bytes, more or less...".getBytes(StandardCharsets.US_ASCII);
    private final GroupCa ca = GroupCa.create("lab", NOW.minusSeconds(3600), Duration.ofDays(30));
    /** Requests for a certificate each receiver made: source, then destination. */
    private final List<RingAddress[]> asked = new ArrayList<>();
    private long clock;

    private NodeIdentity member(String name) throws Exception {
        KeyPair key = GroupCa.newKeyPair();
        return new NodeIdentity(key.getPrivate(), NodeCertificate.readUnverified(
                ca.issue(name, key.getPublic(), Optional.empty(), NOW.minusSeconds(60), Duration.ofDays(1))), ca.certificate());
    }

    private SourceSignatures compact(NodeIdentity identity) {
        SourceSignatures s = new SourceSignatures(identity, Instant::now);
        s.introduceOnce((source, dst) -> asked.add(new RingAddress[] {source, dst}), () -> clock);
        return s;
    }

    private static RingAddress address(NodeIdentity id) {
        return id.certificate().address();
    }

    @Test
    void theSecondMessageToADestinationIsSmallerAndStillChecks() throws Exception {
        NodeIdentity a = member("a");
        NodeIdentity b = member("b");
        SourceSignatures aSigns = compact(a);
        SourceSignatures bChecks = compact(b);
        RingAddress dst = address(b);
        byte[] first = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        byte[] second = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        assertArrayEquals(PAYLOAD, bChecks.openRouted(address(a), dst, PayloadTypes.DHT, first));
        assertArrayEquals(PAYLOAD, bChecks.openRouted(address(a), dst, PayloadTypes.DHT, second));
        assertTrue(second.length + 300 < first.length, "first " + first.length + " B, second " + second.length + " B");
        System.out.printf("signed routed payload of %d B: %d B with the certificate, %d B with its fingerprint%n",
                PAYLOAD.length, first.length, second.length);
        assertTrue(asked.isEmpty());
        // Broadcasts go to receivers nobody knows: they always carry the certificate.
        assertEquals(first.length, aSigns.signBroadcast(address(a), 7, PayloadTypes.DHT, PAYLOAD).length);
    }

    @Test
    void aReceiverThatLacksTheCertificateAsksForItAndTheNextMessageCarriesIt() throws Exception {
        NodeIdentity a = member("a");
        NodeIdentity c = member("c");
        SourceSignatures aSigns = compact(a);
        SourceSignatures cChecks = compact(c);
        RingAddress dst = address(c);
        aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        // The first message, with the certificate, never arrived (or c restarted since): c cannot check the second.
        byte[] second = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        assertNull(cChecks.openRouted(address(a), dst, PayloadTypes.DHT, second));
        assertEquals(1, cChecks.refused("certificate-unknown"));
        assertEquals(1, asked.size());
        assertEquals(address(a), asked.get(0)[0], "c asks the source");
        assertEquals(dst, asked.get(0)[1], "for the destination the message named");
        aSigns.certificateNeeded(asked.get(0)[1].toBytes());
        byte[] third = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        assertArrayEquals(PAYLOAD, cChecks.openRouted(address(a), dst, PayloadTypes.DHT, third));
        assertArrayEquals(PAYLOAD, cChecks.openRouted(address(a), dst, PayloadTypes.DHT,
                aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD)), "and compact again after it");
    }

    @Test
    void aCompactMessageForgedInAnotherMembersNameIsRefused() throws Exception {
        NodeIdentity a = member("a");
        NodeIdentity b = member("b");
        NodeIdentity m = member("m");
        SourceSignatures aSigns = compact(a);
        SourceSignatures mSigns = compact(m);
        SourceSignatures bChecks = compact(b);
        RingAddress dst = address(b);
        bChecks.openRouted(address(a), dst, PayloadTypes.DHT, aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD));
        byte[] aCompact = aSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);

        // m, who knows a's fingerprint from a message it routed, signs in a's name under it.
        mSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        byte[] mCompact = mSigns.signRouted(address(a), dst, PayloadTypes.DHT, PAYLOAD);
        byte[] underAsFingerprint = mCompact.clone();
        int at = 3 + PAYLOAD.length;
        System.arraycopy(aCompact, at, underAsFingerprint, at, SignedPayloadCodec.FINGERPRINT);
        assertNull(bChecks.openRouted(address(a), dst, PayloadTypes.DHT, underAsFingerprint));
        assertEquals(1, bChecks.refused("bad-signature"), "a's key does not check m's signature");

        // Under m's own fingerprint: b knows no such certificate of a's, and asks a (never m), at most once a second.
        for (int i = 0; i < 100; i++) {
            assertNull(bChecks.openRouted(address(a), dst, PayloadTypes.DHT, mCompact));
        }
        assertEquals(100, bChecks.refused("certificate-unknown"));
        assertEquals(1, asked.size(), "one request for 100 forgeries within a second");
        assertEquals(address(a), asked.get(0)[0]);
        clock += CertificateIntroductions.ASK_MILLIS;
        bChecks.openRouted(address(a), dst, PayloadTypes.DHT, mCompact);
        assertEquals(2, asked.size(), "and one more a second later");
        // a's real compact message still checks.
        assertArrayEquals(PAYLOAD, bChecks.openRouted(address(a), dst, PayloadTypes.DHT, aCompact));
    }

    @Test
    void aRequestForTheCertificateThatIsNoAddressIsRefused() throws Exception {
        NodeIdentity a = member("a");
        SourceSignatures aSigns = compact(a);
        aSigns.certificateNeeded(new byte[3]);
        assertEquals(1, aSigns.refused("need-certificate-malformed"));
    }
}
