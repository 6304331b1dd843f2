package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set of revoked members: only the group CA's records join it (a record signed by another
 * group's CA or by a member's own key revokes nothing), it survives a restart, and a CRL is read
 * only when the group's CA signed it.
 */
class RevocationsTest {
    static final Instant NOW = Instant.now();
    final GroupCa ca = GroupCa.create("lab", NOW.minusSeconds(60), Duration.ofDays(30));
    final KeyPair victimKey = GroupCa.newKeyPair();
    final X509Certificate victim = ca.issue("victim", victimKey.getPublic(), Optional.empty(), NOW, Duration.ofDays(1));

    @TempDir
    Path tmp;

    @Test
    void theGroupCasRecordRevokesByAddressAndSerialAndSurvivesARestart() throws Exception {
        Revocations r = new Revocations(ca.certificate(), tmp.resolve(Revocations.FILE));
        List<RevocationRecord> heard = new ArrayList<>();
        r.listen((record, source) -> heard.add(record));
        RevocationRecord record = RevocationRecord.issue(ca, victim, NOW.toEpochMilli());
        assertTrue(r.learn(record, Revocations.Source.LOCAL));
        assertFalse(r.learn(record, Revocations.Source.BROADCAST), "a record is new once");
        assertEquals(1, heard.size());
        assertTrue(r.revoked(victim));
        assertTrue(r.revoked(NodeCertificate.addressOf(victim)));
        X509Certificate renewed = ca.renew(victim, NOW, Duration.ofDays(2));
        assertTrue(r.revoked(renewed), "a renewal keeps the address, and is revoked with it");

        Revocations restarted = Revocations.load(ca.certificate(), tmp.resolve(Revocations.FILE));
        assertTrue(restarted.revoked(victim), "a restarted node remembers");
        assertEquals(1, restarted.size());
    }

    @Test
    void aRecordSignedByAnotherCaOrByAMemberRevokesNothing() throws Exception {
        Revocations r = new Revocations(ca.certificate(), null);
        GroupCa other = GroupCa.create("lab", NOW.minusSeconds(60), Duration.ofDays(30));
        RevocationRecord byOtherCa = RevocationRecord.issue(other, victim, NOW.toEpochMilli());
        // A member signs the record's bytes with its own key, as the CA would with its own.
        KeyPair member = GroupCa.newKeyPair();
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(member.getPrivate());
        RingAddress address = NodeCertificate.addressOf(victim);
        s.update(RevocationRecord.signedBytes("lab", victim.getSerialNumber(), address, NOW.toEpochMilli()));
        RevocationRecord byMember = new RevocationRecord(victim.getSerialNumber(), address, NOW.toEpochMilli(), s.sign());
        // The CA's own record with its address changed: the signature no longer holds.
        RevocationRecord real = RevocationRecord.issue(ca, victim, NOW.toEpochMilli());
        RevocationRecord moved = new RevocationRecord(real.serial(), RingAddress.ofName("someone-else"),
                real.revokedAtMillis(), real.signature());

        assertFalse(r.learn(byOtherCa, Revocations.Source.BROADCAST));
        assertFalse(r.learn(byMember, Revocations.Source.DHT));
        assertFalse(r.learn(moved, Revocations.Source.BROADCAST));
        assertFalse(r.revoked(victim));
        assertFalse(r.revoked(RingAddress.ofName("someone-else")));
        assertEquals(0, r.size());
        assertEquals(3, r.refused("revocation-forged"));
    }

    @Test
    void aCrlIsReadOnlyWhenTheGroupCaSignedIt() throws Exception {
        RevocationRecord record = RevocationRecord.issue(ca, victim, NOW.toEpochMilli());
        byte[] good = ca.crl(List.of(record), 1, NOW, NOW.plusSeconds(3600)).getEncoded();
        RevocationList.Read read = RevocationList.read(good, ca.certificate(), NOW);
        assertEquals(List.of(record), read.records());

        GroupCa other = GroupCa.create("lab", NOW.minusSeconds(60), Duration.ofDays(30));
        byte[] forged = other.crl(List.of(record), 1, NOW, NOW.plusSeconds(3600)).getEncoded();
        assertEquals("crl-bad-signature", assertThrows(RevocationList.Refused.class,
                () -> RevocationList.read(forged, ca.certificate(), NOW)).reason());
        byte[] tampered = good.clone();
        tampered[tampered.length - 10] ^= 1;
        assertThrows(RevocationList.Refused.class, () -> RevocationList.read(tampered, ca.certificate(), NOW));
        assertEquals("crl-stale", assertThrows(RevocationList.Refused.class,
                () -> RevocationList.read(good, ca.certificate(), NOW.plusSeconds(7200))).reason());
    }

    @Test
    void malformedListsAreRefusedBeforeTheyAllocate() {
        assertThrows(RevocationCodec.Malformed.class, () -> RevocationCodec.decodeList(new byte[] {(byte) 0xff, (byte) 0xff}));
        byte[] one = RevocationCodec.encodeList(List.of(RevocationRecord.issue(ca, BigInteger.TEN, RingAddress.ofName("x"), 1)));
        for (int cut = 0; cut < one.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(one, cut);
            assertThrows(RevocationCodec.Malformed.class, () -> RevocationCodec.decodeList(part));
        }
    }
}
