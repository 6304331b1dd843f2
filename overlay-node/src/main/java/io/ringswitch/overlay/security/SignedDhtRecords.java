package io.ringswitch.overlay.security;

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
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHT records sealed with this node's Ed25519 key and checked against the group's CA. A
 * certificate is checked against the CA once and then kept by its SHA-256 fingerprint (at most
 * {@value #CACHE} of them, least recently used going first), so that a record costs one signature
 * check, and its expiry is looked at again on every use. Refusals are counted in the DHT's
 * counters by reason and logged (the first of each reason, then at powers of two).
 */
public final class SignedDhtRecords implements DhtRecords {
    private static final Logger log = LoggerFactory.getLogger(SignedDhtRecords.class);
    static final int CACHE = 4096;

    private final NodeIdentity identity;
    private final LongSupplier wallClock;
    private final byte[] certificate;
    private final Map<ByteBuffer, NodeCertificate> verified = new BoundedMap<>(CACHE, true);

    /** {@code wallClock}: ms since the epoch, the clock records are stamped with and certificates checked at. */
    public SignedDhtRecords(NodeIdentity identity, LongSupplier wallClock) {
        this.identity = identity;
        this.wallClock = wallClock;
        try {
            this.certificate = identity.certificate().certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the node's certificate does not encode", e);
        }
    }

    @Override
    public long wallMillis() {
        return wallClock.getAsLong();
    }

    @Override
    public byte[] seal(DhtKey key, byte[] value, long ttlMillis, boolean released) {
        byte[] body = DhtRecord.unsignedEnvelope(identity.certificate().address(), true, released, wallMillis(),
                ttlMillis, certificate, value);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(identity.key());
            signer.update(DhtRecord.signedBytes(key, body, body.length));
            byte[] signature = signer.sign();
            byte[] out = new byte[body.length + signature.length];
            System.arraycopy(body, 0, out, 0, body.length);
            System.arraycopy(signature, 0, out, body.length, signature.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the node's key", e);
        }
    }

    @Override
    public DhtRecord check(DhtKey key, byte[] envelope, DhtCounters counters) {
        DhtRecord record;
        try {
            record = DhtRecord.parse(envelope);
        } catch (RingMessageCodec.MalformedException e) {
            refuse(++counters.recordMalformed, "malformed", key, e.getMessage());
            return null;
        }
        if (!record.signed()) {
            refuse(++counters.recordUnsigned, "unsigned", key, "an unsigned record in a group with a CA");
            return null;
        }
        long now = wallMillis();
        NodeCertificate publisher = member(record.certificate(), now, key, counters);
        if (publisher == null) {
            return null;
        }
        if (!publisher.address().equals(record.publisher())) {
            refuse(++counters.recordBadSignature, "bad-signature", key, "it names publisher "
                    + record.publisher().shortString() + " but carries the certificate of " + publisher.name());
            return null;
        }
        if (!signatureHolds(record, key, publisher)) {
            refuse(++counters.recordBadSignature, "bad-signature", key, "its signature is not "
                    + publisher.name() + "'s");
            return null;
        }
        if (record.timestamp() > now + SKEW_MILLIS) {
            refuse(++counters.recordFutureTimestamp, "future-timestamp", key, "stamped "
                    + (record.timestamp() - now) + " ms ahead by " + publisher.name());
            return null;
        }
        if (record.timestamp() + record.ttlMillis() + SKEW_MILLIS < now) {
            refuse(++counters.recordExpired, "expired", key, "ran out " + (now - record.timestamp()
                    - record.ttlMillis()) + " ms ago (a replay?)");
            return null;
        }
        return record;
    }

    /** The verified certificate in {@code der}, from the cache or checked against the CA now; null when refused. */
    private NodeCertificate member(byte[] der, long now, DhtKey key, DhtCounters counters) {
        ByteBuffer fingerprint;
        try {
            fingerprint = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        NodeCertificate known = verified.get(fingerprint);
        if (known != null) {
            if (known.notAfter().toEpochMilli() < now) {
                verified.remove(fingerprint);
                refuse(++counters.recordNotMember, "not-a-member", key, "the certificate of " + known.name()
                        + " expired on " + known.notAfter());
                return null;
            }
            return known;
        }
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            NodeCertificate checked = NodeCertificate.verify(certificate, identity.ca(), Instant.ofEpochMilli(now));
            verified.put(fingerprint, checked);
            return checked;
        } catch (NodeCertificate.CertificateRejected e) {
            refuse(++counters.recordNotMember, "not-a-member", key, e.kind().counter() + ": " + e.getMessage());
        } catch (GeneralSecurityException | RuntimeException e) {
            refuse(++counters.recordNotMember, "not-a-member", key, "its certificate does not parse: " + e.getMessage());
        }
        return null;
    }

    private static boolean signatureHolds(DhtRecord record, DhtKey key, NodeCertificate publisher) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publisher.certificate().getPublicKey());
            verifier.update(record.signedBytes(key));
            return verifier.verify(record.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void refuse(long count, String reason, DhtKey key, String why) {
        if (Long.bitCount(count) == 1) {
            log.warn("DHT record for {} refused ({}, {} so far): {}", key, reason, count, why);
        }
    }
}
