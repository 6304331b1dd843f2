package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.routing.SourceAuthentication;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Source authentication by signature: every routed message and broadcast a node sends carries
 * its certificate and an Ed25519 signature by the certificate's key ({@link SignedPayloadCodec})
 * over what must not change on the way, and what another node receives is checked against the
 * group's CA before it is used: the certificate must be the group's, valid now, and name the
 * message's {@code from}; the signature must hold. A member can thus no longer send in another
 * member's name, and a node on the route can no longer alter what it passes on.
 * <pre>
 *   routed:    "RSr1" | from (20) | dst (20) | payload type u8 | inner payload
 *   broadcast: "RSb1" | origin (20) | id u64 | payload type u8 | inner payload
 * </pre>
 * The hop count, TTL and a broadcast's range change on the way and are not signed. Routed
 * {@link PayloadTypes#SEALED} payloads are exempt: they ride an end-to-end session, whose keys
 * prove their source. Certificates verified once are kept by ring address (at most
 * {@link #KNOWN}, least recently used first) until they expire, so a known source costs one
 * byte comparison and one signature check. Confined to the node's event loop.
 */
public final class SourceSignatures implements SourceAuthentication {
    private static final Logger log = LoggerFactory.getLogger(SourceSignatures.class);
    static final int KNOWN = 4096;
    private static final byte[] ROUTED = "RSr1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BROADCAST = "RSb1".getBytes(StandardCharsets.US_ASCII);

    private record Known(byte[] der, PublicKey key, Instant notAfter) {
    }

    private final NodeIdentity identity;
    private final byte[] certificate;
    private final Supplier<Instant> wallClock;
    private final Signature signer;
    private final Signature verifier;
    private final CertificateFactory certificates;
    private final Map<RingAddress, Known> known = new BoundedMap<>(KNOWN, true);
    private final Map<String, Long> refused = new LinkedHashMap<>();

    /** Signs as {@code identity}; checks certificates against its CA at {@code wallClock}'s time. */
    public SourceSignatures(NodeIdentity identity, Supplier<Instant> wallClock) {
        this.identity = identity;
        this.wallClock = wallClock;
        try {
            this.certificate = identity.certificate().certificate().getEncoded();
            this.signer = Signature.getInstance("Ed25519");
            this.signer.initSign(identity.key());
            this.verifier = Signature.getInstance("Ed25519");
            this.certificates = CertificateFactory.getInstance("X.509");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 or X.509 unavailable", e);
        }
    }

    /** Bytes a signature adds to each payload this node signs (its certificate's size and more). */
    public int overhead() {
        return SignedPayloadCodec.overhead(certificate.length);
    }

    @Override
    public byte[] signRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
        if (type == PayloadTypes.SEALED) {
            return payload;
        }
        return sign(ROUTED, from, dst.toBytes(), type, payload);
    }

    @Override
    public byte[] openRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
        if (type == PayloadTypes.SEALED) {
            return payload;
        }
        return open("routed", ROUTED, from, dst.toBytes(), type, payload);
    }

    @Override
    public byte[] signBroadcast(RingAddress origin, long id, int type, byte[] payload) {
        return sign(BROADCAST, origin, longBytes(id), type, payload);
    }

    @Override
    public byte[] openBroadcast(RingAddress origin, long id, int type, byte[] payload) {
        return open("broadcast", BROADCAST, origin, longBytes(id), type, payload);
    }

    private byte[] sign(byte[] domain, RingAddress from, byte[] middle, int type, byte[] payload) {
        try {
            update(signer, domain, from, middle, type, payload);
            return SignedPayloadCodec.encode(payload, certificate, signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    private byte[] open(String kind, byte[] domain, RingAddress from, byte[] middle, int type, byte[] payload) {
        SignedPayloadCodec.Signed signed = SignedPayloadCodec.decode(payload);
        if (signed == null) {
            return refuse(kind, from, "unsigned-or-malformed");
        }
        PublicKey key = keyOf(kind, from, signed.certificate());
        if (key == null) {
            return null;
        }
        try {
            verifier.initVerify(key);
            update(verifier, domain, from, middle, type, signed.inner());
            if (!verifier.verify(signed.signature())) {
                return refuse(kind, from, "bad-signature");
            }
        } catch (GeneralSecurityException e) {
            return refuse(kind, from, "bad-signature");
        }
        return signed.inner();
    }

    /** The key of {@code from}'s certificate, verified now or before; null (refused) when it is not from's. */
    private PublicKey keyOf(String kind, RingAddress from, byte[] der) {
        Instant now = wallClock.get();
        Known k = known.get(from);
        if (k != null && Arrays.equals(k.der(), der) && now.isBefore(k.notAfter())) {
            return k.key();
        }
        NodeCertificate verified;
        try {
            X509Certificate x509 = (X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(der));
            verified = NodeCertificate.verify(x509, identity.ca(), now);
        } catch (NodeCertificate.CertificateRejected e) {
            refuse(kind, from, e.kind().counter());
            return null;
        } catch (GeneralSecurityException | RuntimeException e) {
            refuse(kind, from, "certificate-malformed");
            return null;
        }
        if (!verified.address().equals(from)) {
            // A valid member's certificate, under another member's address.
            refuse(kind, from, "not-the-source");
            return null;
        }
        PublicKey key = verified.certificate().getPublicKey();
        known.put(from, new Known(der, key, verified.notAfter()));
        return key;
    }

    private static void update(Signature s, byte[] domain, RingAddress from, byte[] middle, int type, byte[] payload)
            throws GeneralSecurityException {
        s.update(domain);
        s.update(from.toBytes());
        s.update(middle);
        s.update((byte) type);
        s.update(payload);
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    private byte[] refuse(String kind, RingAddress from, String reason) {
        long n = refused.merge(reason, 1L, Long::sum);
        if (Long.bitCount(n) == 1) {
            log.warn("dropped a {} message that claims to come from {}: routed-forged-source ({}) ({} so far)", kind,
                    from.shortString(), reason, n);
        }
        return null;
    }

    /** Messages refused so far for {@code reason}; on the event loop. */
    public long refused(String reason) {
        return refused.getOrDefault(reason, 0L);
    }

    /** Messages refused so far, by reason; on the event loop. */
    public Map<String, Long> refusals() {
        return new LinkedHashMap<>(refused);
    }
}
