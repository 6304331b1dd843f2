package io.ringswitch.overlay.security;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A group's certificate authority: an Ed25519 key and a self-signed certificate whose
 * organisation is the group's name. It issues node certificates (from a key it is given, or from
 * a certificate request) and is needed only to join and, later, to revoke.
 */
public final class GroupCa {
    public static final String KEY_FILE = "ca.key";
    public static final String CERT_FILE = "ca.crt";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final String group;

    private GroupCa(PrivateKey key, X509Certificate certificate, String group) {
        this.key = key;
        this.certificate = certificate;
        this.group = group;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String group() {
        return group;
    }

    /** The CA's key, for the records it signs itself ({@link RevocationRecord#issue}). */
    PrivateKey key() {
        return key;
    }

    /** A new Ed25519 key pair (a node's or a CA's). */
    public static KeyPair newKeyPair() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /** Creates a CA for {@code group}, valid from {@code now} for {@code validity}. */
    public static GroupCa create(String group, Instant now, Duration validity) {
        checkGroupName(group);
        KeyPair pair = newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, group)
                .addRDN(BCStyle.CN, "RingSwitch CA of " + group).build();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), subject, pair.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new GroupCa(pair.getPrivate(), sign(b, pair.getPrivate()), group);
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code ca.key} (owner only) and {@code ca.crt} into {@code dir}. */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Pem.writeKey(dir.resolve(KEY_FILE), key);
        Pem.write(dir.resolve(CERT_FILE), certificate);
    }

    /** Loads the CA of {@code dir}, checking that its key and certificate belong together. */
    public static GroupCa load(Path dir, Instant now) throws IOException {
        X509Certificate cert = Pem.readCertificate(dir.resolve(CERT_FILE));
        PrivateKey key = Pem.readKey(dir.resolve(KEY_FILE));
        try {
            checkCa(cert, now);
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IOException(dir.resolve(CERT_FILE) + ": " + e.getMessage());
        }
        if (!NodeIdentity.belongTogether(key, cert.getPublicKey())) {
            throw new IOException(dir.resolve(KEY_FILE) + ": this key is not the key of " + dir.resolve(CERT_FILE));
        }
        String group = NodeCertificate.attribute(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()), BCStyle.O);
        return new GroupCa(key, cert, group);
    }

    /**
     * Issues a certificate for node {@code name} and its Ed25519 public key, with a fresh ring salt
     * drawn here ({@link RingSalt}): the node's ring address is then a place the requester could
     * not pick, however many keys it tried.
     */
    public X509Certificate issue(String name, PublicKey nodeKey, Optional<InetAddress> virtualIp, Instant now,
                                 Duration validity) {
        return issue(name, nodeKey, virtualIp, now, validity, Set.of());
    }

    /**
     * As {@link #issue(String, PublicKey, Optional, Instant, Duration)}, granting {@code roles}
     * ({@link NodeRoles}, e.g. {@link NodeRoles#GATEWAY}): what the node may publish beyond what
     * every member may.
     */
    public X509Certificate issue(String name, PublicKey nodeKey, Optional<InetAddress> virtualIp, Instant now,
                                 Duration validity, Set<String> roles) {
        return issue(name, nodeKey, virtualIp, now, validity, RingSalt.draw(RANDOM), roles);
    }

    /**
     * Issues a new certificate for the holder of {@code current}, which this CA issued: the same
     * name, key, virtual address and ring salt, so the same ring address, with a new validity. The
     * salt is one this CA drew when it first issued to this key, not one the holder picked, so
     * reusing it gives the holder no more choice of place than it had (see {@link RingSalt}); a
     * short-lived certificate renewed this way keeps the node where the ring knows it. Its roles
     * ({@link NodeRoles}) are kept too.
     *
     * @throws IOException when {@code current} was not signed by this CA or carries no salt
     */
    public X509Certificate renew(X509Certificate current, Instant now, Duration validity) throws IOException {
        try {
            current.verify(certificate.getPublicKey());
            NodeCertificate was = NodeCertificate.readUnverified(current);
            byte[] salt = RingSalt.of(current).orElseThrow(() -> new IOException("the certificate carries no ring salt"));
            return issue(was.name(), current.getPublicKey(), was.virtualIp(), now, validity, salt, NodeRoles.of(current));
        } catch (GeneralSecurityException e) {
            throw new IOException("not issued by this CA: " + e.getMessage(), e);
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * A certificate revocation list (RFC 5280 §5) signed by this CA, listing {@code revoked}
     * serial numbers with the time each was revoked, valid from {@code now} to {@code nextUpdate}.
     */
    public java.security.cert.X509CRL crl(java.util.Map<BigInteger, Instant> revoked, long number, Instant now,
                                          Instant nextUpdate) {
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(issuer, Date.from(now));
        b.setNextUpdate(Date.from(nextUpdate));
        revoked.forEach((serial, at) -> b.addCRLEntry(serial, Date.from(at), org.bouncycastle.asn1.x509.CRLReason.keyCompromise));
        try {
            b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(number)));
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(
                    b.build(new JcaContentSignerBuilder("Ed25519").build(key)));
        } catch (CertIOException | OperatorCreationException | java.security.cert.CRLException e) {
            throw new IllegalStateException("signing a CRL failed", e);
        }
    }

    /**
     * A CRL (RFC 5280 §5) of {@code revoked}: an entry per record, with the time it was revoked and,
     * in a non-critical entry extension ({@link RevocationList#RECORD_EXTENSION}), the record's own
     * bytes, so that a node that fetched the list can hand each record on over the ring and the DHT
     * (where only the record's signature, not the list's, travels with it).
     */
    public java.security.cert.X509CRL crl(List<RevocationRecord> revoked, long number, Instant now, Instant nextUpdate) {
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(issuer, Date.from(now));
        b.setNextUpdate(Date.from(nextUpdate));
        try {
            for (RevocationRecord r : revoked) {
                org.bouncycastle.asn1.x509.ExtensionsGenerator entry = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
                entry.addExtension(org.bouncycastle.asn1.x509.Extension.reasonCode, false,
                        org.bouncycastle.asn1.x509.CRLReason.lookup(org.bouncycastle.asn1.x509.CRLReason.keyCompromise));
                entry.addExtension(RevocationList.RECORD_EXTENSION, false,
                        new org.bouncycastle.asn1.DEROctetString(RevocationCodec.encode(r)));
                b.addCRLEntry(r.serial(), new Date(r.revokedAtMillis()), entry.generate());
            }
            b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(number)));
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(
                    b.build(new JcaContentSignerBuilder("Ed25519").build(key)));
        } catch (IOException | OperatorCreationException | java.security.cert.CRLException e) {
            throw new IllegalStateException("signing a CRL failed", e);
        }
    }

    private X509Certificate issue(String name, PublicKey nodeKey, Optional<InetAddress> virtualIp, Instant now,
                                  Duration validity, byte[] salt, Set<String> roles) {
        checkNodeName(name);
        NodeRoles.checked(roles);
        if (!nodeKey.getAlgorithm().equals("Ed25519") && !nodeKey.getAlgorithm().equals("EdDSA")) {
            throw new IllegalArgumentException("a node key must be Ed25519, not " + nodeKey.getAlgorithm());
        }
        Instant notAfter = now.plus(validity);
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, group).addRDN(BCStyle.CN, name).build();
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier,
                NodeCertificate.RING_URN + RingSalt.address(nodeKey, salt)));
        virtualIp.ifPresent(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip.getHostAddress())));
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(now.minusSeconds(60)), Date.from(notAfter), subject, nodeKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            b.addExtension(RingSalt.extension(salt));
            if (!roles.isEmpty()) {
                b.addExtension(NodeRoles.extension(roles));
            }
            return sign(b, key);
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Issues a certificate from a request: its signature must verify with the key it names (the
     * requester holds the key), the name is the request's common name.
     */
    public X509Certificate issue(PKCS10CertificationRequest request, Optional<InetAddress> virtualIp, Instant now,
                                 Duration validity) throws IOException {
        return issue(request, virtualIp, now, validity, Set.of());
    }

    /** As {@link #issue(PKCS10CertificationRequest, Optional, Instant, Duration)}, granting {@code roles}. */
    public X509Certificate issue(PKCS10CertificationRequest request, Optional<InetAddress> virtualIp, Instant now,
                                 Duration validity, Set<String> roles) throws IOException {
        try {
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()))) {
                throw new IOException("the request's signature does not verify with its own key");
            }
            PublicKey key = new JcaPKCS10CertificationRequest(request).getPublicKey();
            String name = NodeCertificate.attribute(request.getSubject(), BCStyle.CN);
            if (name == null) {
                throw new IOException("the request names no node (no CN in its subject)");
            }
            return issue(name, key, virtualIp, now, validity, roles);
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException e) {
            throw new IOException("the request cannot be checked: " + e.getMessage(), e);
        }
    }

    /** Checks that {@code ca} is a CA certificate that signed itself and is valid at {@code now}. */
    static void checkCa(X509Certificate ca, Instant now) throws NodeCertificate.CertificateRejected {
        if (ca.getBasicConstraints() < 0) {
            throw new NodeCertificate.CertificateRejected(NodeCertificate.Kind.INVALID, "the CA file holds no CA certificate");
        }
        try {
            ca.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new NodeCertificate.CertificateRejected(NodeCertificate.Kind.INVALID, "the CA certificate is not self-signed (" + e.getMessage() + ")");
        }
        if (now.isAfter(ca.getNotAfter().toInstant()) || now.isBefore(ca.getNotBefore().toInstant())) {
            throw new NodeCertificate.CertificateRejected(NodeCertificate.Kind.INVALID, "the CA certificate is valid only from " + ca.getNotBefore().toInstant()
                    + " to " + ca.getNotAfter().toInstant());
        }
    }

    static void checkGroupName(String group) {
        if (group == null || !group.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a group name is 1 to 64 of A-Z a-z 0-9 . _ - (got " + group + ")");
        }
    }

    static void checkNodeName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("a node name is 1 to 64 of A-Z a-z 0-9 . _ - (got " + name + ")");
        }
    }

    private static BigInteger serial() {
        return new BigInteger(64, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("Ed25519").build(key)));
        } catch (OperatorCreationException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("signing a certificate failed", e);
        }
    }
}
