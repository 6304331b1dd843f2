package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.RingAddress;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The random value the group CA draws when it issues a node certificate, and the ring address it
 * gives together with the node's key: {@code SHA-1(raw Ed25519 public key (32) || salt (16))},
 * 160 bits as before. A member can make as many keys as it likes, but it learns the salt only
 * once the certificate is signed, so grinding keys to land next to a chosen DHT key buys nothing;
 * and it cannot change the salt afterwards without breaking the CA's signature.
 *
 * <p>The salt travels in a non-critical X.509 v3 extension (RFC 5280 §4.2) under a private OID:
 * <pre>
 *   Extension { extnID 2.25.219462715436337279086767854616919883485, critical FALSE,
 *               extnValue OCTET STRING { OCTET STRING (SIZE(16)) salt } }
 * </pre>
 * The OID is one made from a UUID (ITU-T X.667, arc {@code 2.25}), which needs no registration.
 * An extension rather than a subject attribute, because the subject is a name that tools show
 * and match, not a place for key material; non-critical, because only RingSwitch derives ring
 * addresses, and a critical extension would make generic tools ({@code openssl verify}) refuse a
 * certificate that is otherwise a plain one. RingSwitch itself refuses a node certificate
 * without it ({@link NodeCertificate#verify}).
 */
public final class RingSalt {
    /** The extension's OID: a UUID-based OID (ITU-T X.667), no registry needed. */
    public static final ASN1ObjectIdentifier OID = new ASN1ObjectIdentifier("2.25.219462715436337279086767854616919883485");
    /** Salt length: 128 bits, as many as a member would have to grind through to pick a place. */
    public static final int BYTES = 16;
    private static final int RAW_KEY = 32;

    private RingSalt() {
    }

    /** A fresh salt, drawn by the CA at issue time. */
    static byte[] draw(SecureRandom random) {
        byte[] salt = new byte[BYTES];
        random.nextBytes(salt);
        return salt;
    }

    /** The extension that carries {@code salt} (non-critical, see the class comment). */
    public static Extension extension(byte[] salt) {
        checkLength(salt);
        try {
            return new Extension(OID, false, new DEROctetString(salt).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The salt a certificate carries, or empty when it carries none (a certificate issued before
     * ring addresses were salted).
     *
     * @throws NodeCertificate.CertificateRejected when the extension is there but is not one
     *         octet string of {@link #BYTES} bytes
     */
    public static Optional<byte[]> of(X509Certificate certificate) throws NodeCertificate.CertificateRejected {
        byte[] wrapped = certificate.getExtensionValue(OID.getId());
        if (wrapped == null) {
            return Optional.empty();
        }
        try {
            ASN1OctetString extnValue = ASN1OctetString.getInstance(wrapped);
            ASN1OctetString salt = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(extnValue.getOctets()));
            if (salt.getOctets().length != BYTES) {
                throw new NodeCertificate.CertificateRejected(NodeCertificate.Kind.INVALID,
                        "its ring salt has " + salt.getOctets().length + " bytes, not " + BYTES);
            }
            return Optional.of(salt.getOctets());
        } catch (IOException | IllegalArgumentException e) {
            throw new NodeCertificate.CertificateRejected(NodeCertificate.Kind.INVALID,
                    "its ring salt does not parse (" + e.getMessage() + ")");
        }
    }

    /** The ring address of {@code key} under {@code salt}: SHA-1 over the raw key, then the salt. */
    public static RingAddress address(PublicKey key, byte[] salt) {
        checkLength(salt);
        byte[] raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getBytes();
        if (raw.length != RAW_KEY) {
            throw new IllegalArgumentException("a node key is 32 raw bytes (Ed25519), not " + raw.length);
        }
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(raw);
            sha1.update(salt);
            return RingAddress.of(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    private static void checkLength(byte[] salt) {
        if (salt.length != BYTES) {
            throw new IllegalArgumentException("a ring salt has " + BYTES + " bytes, not " + salt.length);
        }
    }
}
