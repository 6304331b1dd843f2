package io.ringswitch.overlay.security;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtRecord;
import io.ringswitch.overlay.ring.dht.DhtRecords;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHT records sealed with this node's Ed25519 key and checked against the group's CA. A
 * certificate is checked against the CA once and then kept by its SHA-256 fingerprint (at most
 * {@value #CACHE} of them, least recently used going first), so that a record costs one signature
 * check, and its expiry is looked at again on every use. Refusals are counted in the DHT's
 * counters by reason and logged (the first of each reason, then at powers of two). Signatures are
 * Bouncy Castle's Ed25519 (RFC 8032): the JDK's own took about 0.6 ms a signature or a check here,
 * more than the rest of a DHT operation.
 */
public final class SignedDhtRecords implements DhtRecords {
    private static final Logger log = LoggerFactory.getLogger(SignedDhtRecords.class);
    static final int CACHE = 4096;

    private final NodeIdentity identity;
    private final LongSupplier wallClock;
    /** The certificate in every record this node signs; replaced when the node's certificate is renewed. */
    private volatile byte[] certificate;
    private final Ed25519PrivateKeyParameters signingKey;
    private final Map<ByteBuffer, Member> verified = new BoundedMap<>(CACHE, true);
    /** The group's revoked members, whose records are refused; none until {@link #revocations} is called. */
    private volatile Revocations revocations;

    /** A publisher whose certificate passed, and its key ready to check signatures. */
    private record Member(NodeCertificate certificate, Ed25519PublicKeyParameters key, java.util.Set<String> roles) {
    }

    /** {@code wallClock}: ms since the epoch, the clock records are stamped with and certificates checked at. */
    /**
     * Puts {@code renewed}, a renewed certificate for this node's key (issue 19), into the records
     * signed from now on, so that readers do not refuse them once the old certificate expires.
     */
    public void renew(NodeIdentity renewed) {
        if (!renewed.certificate().address().equals(identity.certificate().address())) {
            throw new IllegalArgumentException("a renewed certificate keeps the node's ring address");
        }
        try {
            certificate = renewed.certificate().certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalArgumentException("the renewed certificate does not encode", e);
        }
    }

    public SignedDhtRecords(NodeIdentity identity, LongSupplier wallClock) {
        this.identity = identity;
        this.wallClock = wallClock;
        try {
            this.certificate = identity.certificate().certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the node's certificate does not encode", e);
        }
        try {
            byte[] seed = ASN1OctetString.getInstance(PrivateKeyInfo.getInstance(identity.key().getEncoded())
                    .parsePrivateKey()).getOctets();
            this.signingKey = new Ed25519PrivateKeyParameters(seed, 0);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("the node's key is no Ed25519 key", e);
        }
    }

    /** Refuses, from now on, every record whose publisher {@code revocations} holds revoked. */
    public void revocations(Revocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public long wallMillis() {
        return wallClock.getAsLong();
    }

    @Override
    public byte[] seal(DhtKey key, byte[] value, long ttlMillis, boolean released) {
        byte[] body = DhtRecord.unsignedEnvelope(identity.certificate().address(), true, released, wallMillis(),
                ttlMillis, certificate, value);
        byte[] signed = DhtRecord.signedBytes(key, body, body.length);
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, signingKey);
        signer.update(signed, 0, signed.length);
        byte[] signature = signer.generateSignature();
        byte[] out = new byte[body.length + signature.length];
        System.arraycopy(body, 0, out, 0, body.length);
        System.arraycopy(signature, 0, out, body.length, signature.length);
        return out;
    }

    @Override
    public DhtRecord checkAnyTime(DhtKey key, byte[] envelope, DhtCounters counters) {
        DhtRecord record;
        try {
            record = DhtRecord.parse(envelope);
        } catch (RingMessageCodec.MalformedException e) {
            refuse(Metrics.incremented(counters.recordMalformed), "malformed", key, e.getMessage());
            return null;
        }
        if (!record.signed()) {
            refuse(Metrics.incremented(counters.recordUnsigned), "unsigned", key, "an unsigned record in a group with a CA");
            return null;
        }
        long now = wallMillis();
        Member member = member(record.certificate(), now, key, counters);
        if (member == null) {
            return null;
        }
        NodeCertificate publisher = member.certificate();
        Revocations revoked = revocations;
        if (revoked != null && (revoked.revoked(publisher.address()) || revoked.revoked(publisher.certificate()))) {
            refuse(Metrics.incremented(counters.recordRevoked), "revoked", key, "the certificate of " + publisher.name() + " is revoked");
            return null;
        }
        if (!publisher.address().equals(record.publisher())) {
            refuse(Metrics.incremented(counters.recordBadSignature), "bad-signature", key, "it names publisher "
                    + record.publisher().shortString() + " but carries the certificate of " + publisher.name());
            return null;
        }
        if (!signatureHolds(record, key, member.key())) {
            refuse(Metrics.incremented(counters.recordBadSignature), "bad-signature", key, "its signature is not "
                    + publisher.name() + "'s");
            return null;
        }
        String role = DhtRecords.roleNeeded(key);
        if (role != null && !member.roles().contains(role)) {
            refuse(Metrics.incremented(counters.recordNoRole), "no-role", key, "the certificate of " + publisher.name()
                    + " does not grant the role " + role);
            return null;
        }
        return record;
    }

    @Override
    public boolean inTime(DhtKey key, DhtRecord record, DhtCounters counters) {
        long now = wallMillis();
        if (record.timestamp() > now + SKEW_MILLIS) {
            refuse(Metrics.incremented(counters.recordFutureTimestamp), "future-timestamp", key, "stamped "
                    + (record.timestamp() - now) + " ms ahead by " + record.publisher().shortString());
            return false;
        }
        if (record.timestamp() + record.ttlMillis() + SKEW_MILLIS < now) {
            refuse(Metrics.incremented(counters.recordExpired), "expired", key, "ran out " + (now - record.timestamp()
                    - record.ttlMillis()) + " ms ago (a replay?)");
            return false;
        }
        return true;
    }

    /** The verified certificate in {@code der}, from the cache or checked against the CA now; null when refused. */
    private Member member(byte[] der, long now, DhtKey key, DhtCounters counters) {
        ByteBuffer fingerprint;
        try {
            fingerprint = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        Member known = verified.get(fingerprint);
        if (known != null) {
            if (known.certificate().notAfter().toEpochMilli() < now) {
                verified.remove(fingerprint);
                refuse(Metrics.incremented(counters.recordNotMember), "not-a-member", key, "the certificate of "
                        + known.certificate().name() + " expired on " + known.certificate().notAfter());
                return null;
            }
            return known;
        }
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            NodeCertificate checked = NodeCertificate.verify(certificate, identity.ca(), Instant.ofEpochMilli(now));
            byte[] raw = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()).getPublicKeyData()
                    .getBytes();
            Member member = new Member(checked, new Ed25519PublicKeyParameters(raw, 0), NodeRoles.of(certificate));
            verified.put(fingerprint, member);
            return member;
        } catch (NodeCertificate.CertificateRejected e) {
            refuse(Metrics.incremented(counters.recordNotMember), "not-a-member", key, e.kind().counter() + ": " + e.getMessage());
        } catch (GeneralSecurityException | RuntimeException e) {
            refuse(Metrics.incremented(counters.recordNotMember), "not-a-member", key, "its certificate does not parse: " + e.getMessage());
        }
        return null;
    }

    private static boolean signatureHolds(DhtRecord record, DhtKey key, Ed25519PublicKeyParameters publisher) {
        byte[] signed = record.signedBytes(key);
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publisher);
        verifier.update(signed, 0, signed.length);
        return verifier.verifySignature(record.signature());
    }

    private static void refuse(long count, String reason, DhtKey key, String why) {
        if (Long.bitCount(count) == 1) {
            log.atWarn().addKeyValue("reason", reason).addKeyValue("key", String.valueOf(key)).addKeyValue("detail", why)
                    .addKeyValue("count", count).log("DHT record for {} refused ({}, {} so far): {}", key, reason, count, why);
        }
    }
}
