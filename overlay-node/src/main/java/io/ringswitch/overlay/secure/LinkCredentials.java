package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.record.RecordCipher;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * What a node proves in the handshake, and the check of what its peer proves. The identity
 * payload of Noise messages 2 and 3 is
 * <pre>
 *   record cipher u8 | certificate length u16 | certificate (DER) | Ed25519 signature (64)
 * </pre>
 * where the first byte says which record cipher the sender asks for (0 AES-256-GCM, 1
 * ChaCha20-Poly1305, for a CPU without AES instructions); a session uses ChaCha20-Poly1305 when
 * either side asks for it.
 * where the certificate's Ed25519 key signs {@code "ringswitch-noise-static-v1:" || group || s},
 * {@code s} being the sender's Noise static X25519 key (libp2p's binding of an identity key to a
 * Noise static key). The peer accepts when the certificate passes against the group's CA (chain,
 * validity, group, address = key) and the signature verifies over the static key that the
 * handshake itself proved.
 */
final class LinkCredentials {
    static final int SIGNATURE = 64;
    private static final byte[] CONTEXT = "ringswitch-noise-static-v1:".getBytes(StandardCharsets.US_ASCII);
    /** Largest certificate accepted from a peer; ours are about 400 bytes. */
    static final int MAX_CERTIFICATE = 4096;

    private final RecordCipher.Aead aead;
    private final byte[] staticPublic;
    /** The identity and the payload signed with it, swapped together when the certificate is renewed. */
    private volatile Signed current;
    /** The group's revoked members, refused in every handshake; none until set. */
    volatile io.ringswitch.overlay.security.Revocations revocations;

    private record Signed(NodeIdentity identity, byte[] payload) {
    }

    /** What a peer's payload proved: its certificate, and the record cipher it asks for. */
    record Verified(NodeCertificate certificate, RecordCipher.Aead aead) {
    }

    /** Signs {@code staticPublic}, this node's Noise static key for its lifetime. */
    LinkCredentials(NodeIdentity identity, byte[] staticPublic) {
        this(identity, staticPublic, RecordCipher.Aead.preferred());
    }

    LinkCredentials(NodeIdentity identity, byte[] staticPublic, RecordCipher.Aead aead) {
        this.aead = aead;
        this.staticPublic = staticPublic.clone();
        this.current = sign(identity);
    }

    /**
     * Proves {@code renewed} from now on, in handshakes that start after this call (sessions
     * already up keep what they proved). The renewed certificate must be for the same key, so the
     * ring address stays, and of the same group.
     */
    void replace(NodeIdentity renewed) {
        NodeIdentity was = current.identity();
        if (!renewed.certificate().address().equals(was.certificate().address())
                || !renewed.certificate().group().equals(was.certificate().group())) {
            throw new IllegalArgumentException("a renewed certificate keeps the node's ring address and group");
        }
        current = sign(renewed);
    }

    private Signed sign(NodeIdentity identity) {
        try {
            byte[] der = identity.certificate().certificate().getEncoded();
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(identity.key());
            signer.update(bound(identity.certificate().group(), staticPublic));
            byte[] signature = signer.sign();
            return new Signed(identity, ByteBuffer.allocate(1 + 2 + der.length + SIGNATURE).put((byte) aead.ordinal())
                    .putShort((short) der.length).put(der).put(signature).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the link key with the node's key: " + e.getMessage(), e);
        }
    }

    /** The identity payload this node sends. */
    byte[] payload() {
        return current.payload().clone();
    }

    /**
     * The identity payload this node sends now and the end of the certificate it carries, taken
     * together: a session is bound to the certificate its handshake proved, so a renewal between
     * the two reads must not mix them up.
     */
    Proof proof() {
        Signed now = current;
        return new Proof(now.payload().clone(), now.identity().certificate().notAfter());
    }

    /** When the certificate this node proves from now on ends. */
    Instant notAfter() {
        return current.identity().certificate().notAfter();
    }

    /** An identity payload and the end of the certificate in it. */
    record Proof(byte[] payload, Instant notAfter) {
    }

    int payloadLength() {
        return current.payload().length;
    }

    String group() {
        return current.identity().certificate().group();
    }

    /**
     * Checks a peer's identity payload against the group's CA at {@code now} and the static key
     * {@code remoteStatic} the handshake proved.
     *
     * @throws Refused with the counter's name and what failed
     */
    Verified check(byte[] peerPayload, byte[] remoteStatic, Instant now) throws Refused {
        NodeIdentity identity = current.identity();
        ByteBuffer in = ByteBuffer.wrap(peerPayload);
        if (in.remaining() < 3) {
            throw new Refused("certificate-invalid", null, "the identity payload is empty");
        }
        int asked = Byte.toUnsignedInt(in.get());
        if (asked >= RecordCipher.Aead.values().length) {
            throw new Refused("certificate-invalid", null, "the identity payload asks for record cipher " + asked);
        }
        int length = Short.toUnsignedInt(in.getShort());
        if (length > MAX_CERTIFICATE || in.remaining() != length + SIGNATURE) {
            throw new Refused("certificate-invalid", null, "the identity payload's lengths do not add up");
        }
        byte[] der = new byte[length];
        in.get(der);
        byte[] signature = new byte[SIGNATURE];
        in.get(signature);
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new Refused("certificate-invalid", null, "the certificate does not parse: " + e.getMessage());
        }
        String claimed = claimedName(certificate);
        NodeCertificate verified;
        try {
            verified = NodeCertificate.verify(certificate, identity.ca(), now);
        } catch (NodeCertificate.CertificateRejected e) {
            throw new Refused(e.kind().counter(), claimed, e.getMessage());
        }
        io.ringswitch.overlay.security.Revocations revoked = revocations;
        if (revoked != null && revoked.revoked(certificate)) {
            throw new Refused("revoked", verified.address().toString(), "the certificate of " + verified.name()
                    + " (serial " + certificate.getSerialNumber().toString(16) + ") is revoked");
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(bound(verified.group(), remoteStatic));
            if (!verifier.verify(signature)) {
                throw new Refused("binding-signature", verified.address().toString(),
                        "the certificate's key did not sign the handshake's static key");
            }
        } catch (GeneralSecurityException e) {
            throw new Refused("binding-signature", verified.address().toString(), e.getMessage());
        }
        if (verified.address().equals(identity.certificate().address())) {
            throw new Refused("handshake-self", verified.address().toString(), "the peer holds this node's own certificate");
        }
        RecordCipher.Aead theirs = RecordCipher.Aead.values()[asked];
        return new Verified(verified, theirs == aead ? aead : RecordCipher.Aead.CHACHA20_POLY1305);
    }

    /** The ring address a refused certificate names (for the log), or its subject when it names none. */
    private static String claimedName(X509Certificate certificate) {
        try {
            return NodeCertificate.readUnverified(certificate).address().toString();
        } catch (NodeCertificate.CertificateRejected | RuntimeException e) {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    private static byte[] bound(String group, byte[] staticPublic) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(CONTEXT.length + g.length + staticPublic.length).put(CONTEXT).put(g).put(staticPublic)
                .array();
    }

    /** A peer's identity that does not pass; {@code reason} is the counter, {@code peer} what it claimed. */
    static final class Refused extends Exception {
        final String reason;
        final String peer;

        Refused(String reason, String peer, String detail) {
            super(detail);
            this.reason = reason;
            this.peer = peer;
        }
    }
}
