package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.routing.SourceAuthentication;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
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
 * The hop count, TTL and a broadcast's range change on the way and are not signed; a range is
 * bounded by the signed origin instead (every broadcast covers the ring from its origin round to
 * it, and each hop refuses a range that reaches past the origin: {@code Broadcaster}). Routed
 * {@link PayloadTypes#SEALED} payloads are exempt: they ride an end-to-end session, whose keys
 * prove their source. Certificates verified once are kept by ring address (at most
 * {@link #KNOWN}, least recently used first) until they expire, so a known source costs one
 * byte comparison and one signature check (Bouncy Castle's Ed25519, RFC 8032). Confined to the
 * node's event loop.
 */
public final class SourceSignatures implements SourceAuthentication {
    private static final Logger log = LoggerFactory.getLogger(SourceSignatures.class);
    static final int KNOWN = 4096;
    private static final byte[] ROUTED = "RSr1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BROADCAST = "RSb1".getBytes(StandardCharsets.US_ASCII);

    private record Known(byte[] der, AsymmetricKeyParameter key, Instant notAfter) {
    }

    private final NodeIdentity identity;
    /** The certificate sent with every signature; replaced when the node's certificate is renewed. */
    private volatile byte[] certificate;
    private final Supplier<Instant> wallClock;
    private final AsymmetricKeyParameter privateKey;
    private final Ed25519Signer signer = new Ed25519Signer();
    private final CertificateFactory certificates;
    private final Map<RingAddress, Known> known = new BoundedMap<>(KNOWN, true);
    private final Map<String, Long> refused = new LinkedHashMap<>();

    /** Signs as {@code identity}; checks certificates against its CA at {@code wallClock}'s time. */
    public SourceSignatures(NodeIdentity identity, Supplier<Instant> wallClock) {
        this.identity = identity;
        this.wallClock = wallClock;
        try {
            this.certificate = identity.certificate().certificate().getEncoded();
            if (certificate.length > SignedPayloadCodec.MAX_CERTIFICATE) {
                throw new IllegalArgumentException("a certificate of " + certificate.length + " bytes; at most "
                        + SignedPayloadCodec.MAX_CERTIFICATE + " ride routed messages");
            }
            this.privateKey = PrivateKeyFactory.createKey(identity.key().getEncoded());
            this.certificates = CertificateFactory.getInstance("X.509");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the node's key or X.509 unavailable", e);
        }
    }

    /**
     * Sends {@code renewed}, a renewed certificate for this node's key (issue 19), with signatures
     * from now on: peers check the certificate that comes with each message, so one that expired
     * would be refused.
     */
    public void renew(NodeIdentity renewed) {
        if (!renewed.certificate().address().equals(identity.certificate().address())) {
            throw new IllegalArgumentException("a renewed certificate keeps the node's ring address");
        }
        try {
            certificate = renewed.certificate().certificate().getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the renewed certificate does not encode", e);
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
        signer.init(true, privateKey);
        update(domain, from, middle, type, payload);
        return SignedPayloadCodec.encode(payload, certificate, signer.generateSignature());
    }

    private byte[] open(String kind, byte[] domain, RingAddress from, byte[] middle, int type, byte[] payload) {
        SignedPayloadCodec.Signed signed = SignedPayloadCodec.decode(payload);
        if (signed == null) {
            return refuse(kind, from, "unsigned-or-malformed");
        }
        AsymmetricKeyParameter key = keyOf(kind, from, signed.certificate());
        if (key == null) {
            return null;
        }
        signer.init(false, key);
        update(domain, from, middle, type, signed.inner());
        if (!signer.verifySignature(signed.signature())) {
            return refuse(kind, from, "bad-signature");
        }
        return signed.inner();
    }

    /** The key of {@code from}'s certificate, verified now or before; null (refused) when it is not from's. */
    private AsymmetricKeyParameter keyOf(String kind, RingAddress from, byte[] der) {
        Instant now = wallClock.get();
        Known k = known.get(from);
        if (k != null && Arrays.equals(k.der(), der) && now.isBefore(k.notAfter())) {
            return k.key();
        }
        NodeCertificate verified;
        AsymmetricKeyParameter key;
        try {
            X509Certificate x509 = (X509Certificate) certificates.generateCertificate(new ByteArrayInputStream(der));
            verified = NodeCertificate.verify(x509, identity.ca(), now);
            key = PublicKeyFactory.createKey(x509.getPublicKey().getEncoded());
        } catch (NodeCertificate.CertificateRejected e) {
            refuse(kind, from, e.kind().counter());
            return null;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            refuse(kind, from, "certificate-malformed");
            return null;
        }
        if (!verified.address().equals(from)) {
            // A valid member's certificate, under another member's address.
            refuse(kind, from, "not-the-source");
            return null;
        }
        known.put(from, new Known(der, key, verified.notAfter()));
        return key;
    }

    private void update(byte[] domain, RingAddress from, byte[] middle, int type, byte[] payload) {
        byte[] address = from.toBytes();
        signer.update(domain, 0, domain.length);
        signer.update(address, 0, address.length);
        signer.update(middle, 0, middle.length);
        signer.update((byte) type);
        signer.update(payload, 0, payload.length);
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
