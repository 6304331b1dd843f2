package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetAddress;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * What a verified node certificate says: the node's name, its group, its ring address (the SHA-1
 * of its Ed25519 public key and the salt the CA drew at issue time, see {@link RingSalt}, and named
 * in the certificate as {@code urn:ringswitch:ring:HEX}), an optional fixed virtual IP, and the end
 * of its validity.
 */
public record NodeCertificate(String name, String group, RingAddress address, Optional<InetAddress> virtualIp,
                              Instant notAfter, X509Certificate certificate) {

    /** The URI scheme of the subject alternative name that names the ring address. */
    static final String RING_URN = "urn:ringswitch:ring:";
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    /**
     * The ring address a certificate's key and salt give ({@link RingSalt#address}), whatever
     * address the certificate names.
     *
     * @throws CertificateRejected {@link Kind#NO_RING_SALT} when it carries no salt (issued before
     *         addresses were salted), {@link Kind#INVALID} when its salt does not parse
     */
    public static RingAddress addressOf(X509Certificate certificate) throws CertificateRejected {
        byte[] salt = RingSalt.of(certificate).orElseThrow(() -> new CertificateRejected(Kind.NO_RING_SALT,
                "it carries no ring salt: it was issued before the group CA drew one into every ring address "
                        + "(issue 18); have it re-issued (ringswitch ca issue, or a fresh lab)"));
        return RingSalt.address(certificate.getPublicKey(), salt);
    }

    /**
     * Checks {@code certificate} against the group's CA at time {@code now}: the CA's signature,
     * both validity periods, that the issuer is the CA, that the node is no CA itself, its group,
     * that it carries the CA's ring salt, and that the ring address it names is the one its key
     * and salt give; and that its roles, if it names any ({@link NodeRoles}), parse.
     *
     * @throws CertificateRejected with the reason
     */
    public static NodeCertificate verify(X509Certificate certificate, X509Certificate ca, Instant now)
            throws CertificateRejected {
        GroupCa.checkCa(ca, now);
        if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new CertificateRejected(Kind.OTHER_CA, "issued by " + certificate.getIssuerX500Principal().getName()
                    + ", not by this group's CA (" + ca.getSubjectX500Principal().getName() + ")");
        }
        try {
            certificate.verify(ca.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new CertificateRejected(Kind.OTHER_CA, "its signature is not the group CA's (" + e.getMessage() + ")");
        }
        if (now.isBefore(certificate.getNotBefore().toInstant())) {
            throw new CertificateRejected(Kind.NOT_YET_VALID, "not valid before " + certificate.getNotBefore().toInstant());
        }
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            throw new CertificateRejected(Kind.EXPIRED, "expired on " + certificate.getNotAfter().toInstant());
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw new CertificateRejected(Kind.INVALID, "it is a CA certificate, not a node's");
        }
        String group = attribute(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), BCStyle.O);
        String caGroup = attribute(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), BCStyle.O);
        if (group == null || !group.equals(caGroup)) {
            throw new CertificateRejected(Kind.WRONG_GROUP, "its group is " + group + ", not " + caGroup);
        }
        String name = attribute(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()), BCStyle.CN);
        RingAddress derived = addressOf(certificate);
        NodeRoles.of(certificate);
        RingAddress named = null;
        InetAddress ip = null;
        for (List<?> san : alternativeNames(certificate)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (type == SAN_URI && value.startsWith(RING_URN)) {
                try {
                    named = RingAddress.parse(value.substring(RING_URN.length()));
                } catch (IllegalArgumentException e) {
                    throw new CertificateRejected(Kind.INVALID, "its ring address " + value + " does not parse");
                }
            } else if (type == SAN_IP) {
                try {
                    ip = InetAddress.getByName(value);
                } catch (java.net.UnknownHostException e) {
                    throw new CertificateRejected(Kind.INVALID, "its virtual IP " + value + " does not parse");
                }
            }
        }
        if (named == null) {
            throw new CertificateRejected(Kind.INVALID, "it names no ring address");
        }
        if (!named.equals(derived)) {
            throw new CertificateRejected(Kind.ADDRESS_NOT_KEY, "it names ring address " + named
                    + ", but its key and ring salt give " + derived);
        }
        return new NodeCertificate(name, group, derived, Optional.ofNullable(ip), certificate.getNotAfter().toInstant(),
                certificate);
    }

    /**
     * What a certificate says, without any check: the ring address it names (or the one its key
     * and salt give when it names none). Only for a node told to skip its own checks, so that the security demo can
     * start deliberately bad nodes and show that the others refuse them.
     */
    public static NodeCertificate readUnverified(X509Certificate certificate) throws CertificateRejected {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RingAddress address = null;
        for (List<?> san : alternativeNames(certificate)) {
            String value = String.valueOf(san.get(1));
            if ((Integer) san.get(0) == SAN_URI && value.startsWith(RING_URN)) {
                address = RingAddress.parse(value.substring(RING_URN.length()));
            }
        }
        if (address == null) {
            address = addressOf(certificate);
        }
        return new NodeCertificate(attribute(subject, BCStyle.CN), String.valueOf(attribute(subject, BCStyle.O)), address,
                Optional.empty(), certificate.getNotAfter().toInstant(), certificate);
    }

    private static Collection<List<?>> alternativeNames(X509Certificate certificate) throws CertificateRejected {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            throw new CertificateRejected(Kind.INVALID, "its alternative names do not parse (" + e.getMessage() + ")");
        }
    }

    static String attribute(X500Name name, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    /** Which kind of check a certificate failed; each has its own counter where peers are checked. */
    public enum Kind {
        OTHER_CA, EXPIRED, NOT_YET_VALID, ADDRESS_NOT_KEY, WRONG_GROUP, INVALID,
        /** Issued before the CA salted ring addresses: to be re-issued, never accepted. */
        NO_RING_SALT;

        /** The counter's name, e.g. {@code certificate-other-ca}. */
        public String counter() {
            return "certificate-" + name().toLowerCase().replace('_', '-');
        }
    }

    /** A certificate that fails a check; the message says which and why. */
    public static final class CertificateRejected extends Exception {
        private final Kind kind;

        public CertificateRejected(Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public Kind kind() {
            return kind;
        }
    }
}
