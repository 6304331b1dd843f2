package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.routing.SourceAuthentication;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * prove their source. With {@link #introduceOnce}, a routed message carries the certificate only
 * to a destination that has not had it, and its SHA-256 fingerprint after that (some 380 bytes
 * less a message, with a certificate of 408); a receiver that does not know it refuses the message and asks for it.
 * Certificates verified once are kept by ring address (at most {@link #KNOWN}, least recently
 * used first) until they expire, so a known source costs one byte comparison and one signature
 * check (Bouncy Castle's Ed25519, RFC 8032). What it refuses is counted in the node's registry,
 * {@code ringswitch_refused_total{layer="source-signature",reason}}. Confined to the node's event loop.
 */
public final class SourceSignatures implements SourceAuthentication {
    private static final Logger log = LoggerFactory.getLogger(SourceSignatures.class);
    static final int KNOWN = 4096;
    private static final byte[] ROUTED = "RSr1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BROADCAST = "RSb1".getBytes(StandardCharsets.US_ASCII);

    private record Known(byte[] der, byte[] fingerprint, AsymmetricKeyParameter key, Instant notAfter) {
    }

    private final NodeIdentity identity;
    /** The certificate sent with every signature; replaced when the node's certificate is renewed. */
    private volatile byte[] certificate;
    /** The SHA-256 of {@link #certificate}: what the compact form names it by. */
    private volatile byte[] fingerprint;
    /** Destinations that have this node's certificate; null: every message carries it. */
    private CertificateIntroductions introductions;
    private final Supplier<Instant> wallClock;
    private final AsymmetricKeyParameter privateKey;
    private final Ed25519Signer signer = new Ed25519Signer();
    private final CertificateFactory certificates;
    private final Map<RingAddress, Known> known = new BoundedMap<>(KNOWN, true);
    /** The layer its refusals are counted under in {@code ringswitch_refused_total}. */
    public static final String LAYER = "source-signature";
    private final Counter refusedFamily;
    /** Each reason's data point, resolved on its first refusal (reasons come from the certificate checks too). */
    private final Map<String, CounterDataPoint> refused = new ConcurrentHashMap<>();
    /** The group's revoked members, whose messages are refused; none until {@link #revocations} is called. */
    private volatile Revocations revocations;

    /** Refuses, from now on, every message whose source {@code revocations} holds revoked. */
    public void revocations(Revocations revocations) {
        this.revocations = revocations;
    }

    /** Signs as {@code identity}, counting in a registry of its own (tests, the simulator). */
    public SourceSignatures(NodeIdentity identity, Supplier<Instant> wallClock) {
        this(identity, wallClock, NodeMetrics.inProcess());
    }

    /**
     * Signs as {@code identity}; checks certificates against its CA at {@code wallClock}'s time and
     * counts what it refuses in {@code metrics}.
     */
    public SourceSignatures(NodeIdentity identity, Supplier<Instant> wallClock, NodeMetrics metrics) {
        this.identity = identity;
        this.refusedFamily = metrics.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason");
        this.wallClock = wallClock;
        try {
            this.certificate = identity.certificate().certificate().getEncoded();
            if (certificate.length > SignedPayloadCodec.MAX_CERTIFICATE) {
                throw new IllegalArgumentException("a certificate of " + certificate.length + " bytes; at most "
                        + SignedPayloadCodec.MAX_CERTIFICATE + " ride routed messages");
            }
            this.fingerprint = sha256(certificate);
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
            byte[] der = renewed.certificate().certificate().getEncoded();
            fingerprint = sha256(der);
            certificate = der;
            if (introductions != null) {
                introductions.forgetAll();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the renewed certificate does not encode", e);
        }
    }

    /**
     * From now on a routed message carries this node's certificate only to a destination that has
     * not had it yet, and a fingerprint in its place after that ({@link CertificateIntroductions});
     * a receiver that cannot check such a message asks its source through {@code ask} (source,
     * destination of the message), which sends a {@link PayloadTypes#NEED_CERTIFICATE} request.
     * Broadcasts always carry the certificate: who receives them is not known. {@code clock}: ms,
     * monotonic. On the event loop.
     */
    public void introduceOnce(java.util.function.BiConsumer<RingAddress, RingAddress> ask,
                              java.util.function.LongSupplier clock) {
        introductions = new CertificateIntroductions(ask, clock);
    }

    /**
     * {@link #introduceOnce(java.util.function.BiConsumer, java.util.function.LongSupplier)} on
     * {@code ring}: requests for this node's certificate arrive as {@link PayloadTypes#NEED_CERTIFICATE}
     * messages, and this node's own go out as such, routed to the source (unsigned, unreliable).
     */
    public void introduceOnce(RingNode ring, java.util.function.LongSupplier clock) {
        introduceOnce((source, dst) -> ring.send(source, RoutingMode.EXACT, PayloadTypes.NEED_CERTIFICATE,
                dst.toBytes(), false), clock);
        ring.register(PayloadTypes.NEED_CERTIFICATE, m -> certificateNeeded(m.payload()));
    }

    /**
     * A {@link PayloadTypes#NEED_CERTIFICATE} request arrived: its payload is the destination
     * (20 bytes) whose next message must carry this node's certificate.
     */
    public void certificateNeeded(byte[] payload) {
        if (introductions == null) {
            return;
        }
        if (payload.length != RingAddress.BYTES) {
            refuse("need-certificate", RingAddress.ZERO, "need-certificate-malformed");
            return;
        }
        introductions.forget(RingAddress.of(payload));
    }

    /** Bytes a signature adds to each payload this node signs (its certificate's size and more). */
    public int overhead() {
        return SignedPayloadCodec.overhead(certificate.length);
    }

    @Override
    public byte[] signRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
        if (unsigned(type)) {
            return payload;
        }
        boolean compact = introductions != null && !introductions.certificateFor(dst);
        return sign(ROUTED, from, dst.toBytes(), type, payload, compact);
    }

    @Override
    public byte[] openRouted(RingAddress from, RingAddress dst, int type, byte[] payload) {
        if (unsigned(type)) {
            return payload;
        }
        return open("routed", ROUTED, from, dst.toBytes(), type, payload, dst);
    }

    /**
     * End-to-end sealed payloads ride a session whose keys prove their source; a request for a
     * certificate needs no proof (a forged one only costs the certificate's bytes once).
     */
    private static boolean unsigned(int type) {
        return type == PayloadTypes.SEALED || type == PayloadTypes.NEED_CERTIFICATE;
    }

    @Override
    public byte[] signBroadcast(RingAddress origin, long id, int type, byte[] payload) {
        return sign(BROADCAST, origin, longBytes(id), type, payload, false);
    }

    @Override
    public byte[] openBroadcast(RingAddress origin, long id, int type, byte[] payload) {
        return open("broadcast", BROADCAST, origin, longBytes(id), type, payload, null);
    }

    private byte[] sign(byte[] domain, RingAddress from, byte[] middle, int type, byte[] payload, boolean compact) {
        signer.init(true, privateKey);
        update(domain, from, middle, type, payload);
        byte[] signature = signer.generateSignature();
        return compact ? SignedPayloadCodec.encodeCompact(payload, fingerprint, signature)
                : SignedPayloadCodec.encode(payload, certificate, signature);
    }

    /** {@code dst}: whom to name when the source is asked for its certificate; null for broadcasts (never compact). */
    private byte[] open(String kind, byte[] domain, RingAddress from, byte[] middle, int type, byte[] payload,
                        RingAddress dst) {
        Revocations revoked = revocations;
        if (revoked != null && revoked.revoked(from)) {
            return refuse(kind, from, "revoked");
        }
        SignedPayloadCodec.Signed signed = SignedPayloadCodec.decode(payload);
        if (signed == null) {
            return refuse(kind, from, "unsigned-or-malformed");
        }
        AsymmetricKeyParameter key = signed.certificate() == null ? knownKey(kind, from, signed.fingerprint(), dst)
                : keyOf(kind, from, signed.certificate());
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

    /**
     * The key of the certificate of {@code from} this node verified before, if its fingerprint is
     * {@code fingerprint} and it is still valid; otherwise null (refused, and the source asked for
     * its certificate when {@code dst} names the message's destination).
     */
    private AsymmetricKeyParameter knownKey(String kind, RingAddress from, byte[] fingerprint, RingAddress dst) {
        Known k = known.get(from);
        if (k != null && Arrays.equals(k.fingerprint(), fingerprint) && wallClock.get().isBefore(k.notAfter())) {
            return k.key();
        }
        refuse(kind, from, "certificate-unknown");
        if (introductions != null && dst != null) {
            introductions.askFor(from, dst);
        }
        return null;
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
        known.put(from, new Known(der, sha256(der), key, verified.notAfter()));
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

    private static byte[] sha256(byte[] der) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(der);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    private byte[] refuse(String kind, RingAddress from, String reason) {
        long n = Metrics.incremented(refused.computeIfAbsent(reason, r -> refusedFamily.labelValues(LAYER, r)));
        if (Long.bitCount(n) == 1) {
            log.warn("dropped a {} message that claims to come from {}: routed-forged-source ({}) ({} so far)", kind,
                    from.shortString(), reason, n);
        }
        return null;
    }

    /** Messages refused so far for {@code reason}, as the registry counts them. */
    public long refused(String reason) {
        CounterDataPoint p = refused.get(reason);
        return p == null ? 0 : p.getLongValue();
    }

    /** Messages refused so far, by reason, as the registry counts them. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new LinkedHashMap<>();
        refused.forEach((reason, p) -> out.put(reason, p.getLongValue()));
        return out;
    }
}
