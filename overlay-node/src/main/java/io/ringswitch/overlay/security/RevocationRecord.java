package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.RingAddress;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * The group CA's word that one certificate, and the ring address it gives, is revoked (issue 19):
 * its serial number, the member's ring address (the same across renewals, which keep the key and
 * the CA's salt), when it was revoked, and the CA's Ed25519 signature over all three. A record
 * stands on its own: whoever hands it on (the group server's CRL, a ring broadcast, the DHT, a file
 * from {@code ringswitch revoke}) needs no trust, since every node checks the signature against
 * its group's CA before it acts. Its bytes are {@link RevocationCodec}'s.
 *
 * @param serial          the revoked certificate's serial number (positive, at most 20 bytes, RFC 5280 §4.1.2.2)
 * @param address         the revoked member's ring address
 * @param revokedAtMillis when the CA revoked it, ms since the epoch
 * @param signature       the CA's Ed25519 signature (64 bytes) over {@link #signedBytes}
 */
public record RevocationRecord(BigInteger serial, RingAddress address, long revokedAtMillis, byte[] signature) {
    /** Bytes a signature has (RFC 8032 §5.1.6). */
    public static final int SIGNATURE = 64;
    /** Bytes a serial may have (RFC 5280 §4.1.2.2). */
    public static final int MAX_SERIAL = 20;
    private static final byte[] CONTEXT = "ringswitch-revocation-v1:".getBytes(StandardCharsets.US_ASCII);

    public RevocationRecord {
        if (serial.signum() <= 0 || serial.toByteArray().length > MAX_SERIAL + 1) {
            throw new IllegalArgumentException("a serial is positive and at most " + MAX_SERIAL + " bytes");
        }
        if (signature.length != SIGNATURE) {
            throw new IllegalArgumentException("a signature is " + SIGNATURE + " bytes");
        }
    }

    /** A record of {@code ca} revoking the certificate {@code serial} of the member at {@code address}. */
    public static RevocationRecord issue(GroupCa ca, BigInteger serial, RingAddress address, long revokedAtMillis) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(ca.key());
            s.update(signedBytes(ca.group(), serial, address, revokedAtMillis));
            return new RevocationRecord(serial, address, revokedAtMillis, s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing a revocation failed", e);
        }
    }

    /** A record of {@code ca} revoking {@code certificate}, which it issued. */
    public static RevocationRecord issue(GroupCa ca, X509Certificate certificate, long revokedAtMillis)
            throws NodeCertificate.CertificateRejected {
        return issue(ca, certificate.getSerialNumber(), NodeCertificate.addressOf(certificate), revokedAtMillis);
    }

    /** Whether the signature is that of {@code ca}, the group's CA certificate. */
    public boolean signedBy(X509Certificate ca) {
        try {
            String group = NodeCertificate.attribute(org.bouncycastle.asn1.x500.X500Name.getInstance(
                    ca.getSubjectX500Principal().getEncoded()), org.bouncycastle.asn1.x500.style.BCStyle.O);
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(ca.getPublicKey());
            s.update(signedBytes(String.valueOf(group), serial, address, revokedAtMillis));
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** What the CA signs: a context with the group's name, then the record's fields as {@link RevocationCodec} lays them out. */
    static byte[] signedBytes(String group, BigInteger serial, RingAddress address, long revokedAtMillis) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] body = RevocationCodec.body(serial, address, revokedAtMillis);
        byte[] out = new byte[CONTEXT.length + g.length + 1 + body.length];
        System.arraycopy(CONTEXT, 0, out, 0, CONTEXT.length);
        System.arraycopy(g, 0, out, CONTEXT.length, g.length);
        out[CONTEXT.length + g.length] = ':';
        System.arraycopy(body, 0, out, CONTEXT.length + g.length + 1, body.length);
        return out;
    }

    /** Same serial and address: the same revocation, whoever handed it on. */
    public boolean sameAs(RevocationRecord other) {
        return serial.equals(other.serial) && address.equals(other.address);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RevocationRecord r && sameAs(r) && r.revokedAtMillis == revokedAtMillis
                && Arrays.equals(r.signature, signature);
    }

    @Override
    public int hashCode() {
        return serial.hashCode() * 31 + address.hashCode();
    }

    @Override
    public String toString() {
        return "revocation of " + serial.toString(16) + " (" + address.shortString() + ")";
    }
}
