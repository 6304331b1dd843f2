package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeRoles;
import io.ringswitch.overlay.security.Pem;
import io.ringswitch.overlay.security.RingSalt;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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

/**
 * The lab's certificates: its own CA in {@code runDir/ca} (group {@code lab-NAME}), a second,
 * unrelated CA of the same group name in {@code runDir/ca-other}, and each site's key and
 * certificate ({@code node.key}, {@code node.crt} in the site directory) as its
 * {@link SiteCredential} says; a valid certificate lives {@link LabSpec#certLifetime} (4 days, or
 * what a renewing lab says). A site's files are made once, so that a restarted node keeps its key
 * and its place on the ring; a certificate left from before the CA salted ring addresses (issue 18)
 * is made again, since every node now refuses it, and so is a valid one that has expired. The
 * sites the lab makes gateways get the gateway role in their certificates ({@link NodeRoles}),
 * without which every member refuses their gateway records; a gateway site's certificate without
 * it is made again too.
 */
final class SiteCertificates {
    /** The scheme of the alternative name that names a ring address (as {@link NodeCertificate} reads it). */
    static final String RING_URN = "urn:ringswitch:ring:";
    /** The lab CA's validity (a site certificate's is the lab's {@link LabSpec#certLifetime}). */
    private static final Duration CA_VALIDITY = Duration.ofDays(30);
    /** An expired certificate was valid for an hour, two days ago. */
    private static final Duration EXPIRED_AGO = Duration.ofDays(2);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Certificates drawn at most for one site of a lab with a ring order (each falls in its arc with chance 1/sites). */
    private static final int MAX_PLACING_TRIES = 10_000;

    private final LabSpec spec;
    private final Path runDir;

    SiteCertificates(LabSpec spec, Path runDir) {
        this.spec = spec;
        this.runDir = runDir;
    }

    /** The lab CA's directory. */
    Path caDir() {
        return runDir.resolve("ca");
    }

    /** The directory of the unrelated CA that {@link SiteCredential#OTHER_CA} sites trust. */
    Path otherCaDir() {
        return runDir.resolve("ca-other");
    }

    /** The directory of private group {@code group}'s own CA (issue 19). */
    Path groupCaDir(String group) {
        return runDir.resolve("ca-group-" + group);
    }

    /**
     * The identity files of the node of {@code site}, whose directory is {@code dir}; made on first
     * use. A site of a private group gets its group CA's certificate: its ring is the group's.
     */
    NodeConfig.Identity identity(int site, Path dir) throws IOException {
        SiteCredential credential = spec.credential(site);
        String group = spec.privateGroup(site);
        Path caDir = group != null ? groupCaDir(group) : credential == SiteCredential.OTHER_CA ? otherCaDir() : caDir();
        return issued(site, credential, caDir, group == null ? group(spec) : group(spec) + "-" + group, dir.resolve("node.crt"),
                dir.resolve("node.key"));
    }

    /**
     * The public ring's identity files of a private group's site (the lab CA's certificate, in
     * {@code public.crt} and {@code public.key}): what it joins the public ring with to find its group.
     */
    NodeConfig.Identity publicIdentity(int site, Path dir) throws IOException {
        return issued(site, SiteCredential.VALID, caDir(), group(spec), dir.resolve("public.crt"), dir.resolve("public.key"));
    }

    private NodeConfig.Identity issued(int site, SiteCredential credential, Path caDir, String group, Path cert, Path key)
            throws IOException {
        if (!Files.exists(cert) || unsalted(cert) || (spec.gateway(site) && !grants(cert, NodeRoles.GATEWAY))
                || (credential == SiteCredential.VALID && expired(cert))) {
            issue(site, credential, ca(caDir, group, Instant.now()), caDir, cert, key);
        }
        return new NodeConfig.Identity(cert.toString(), key.toString(), caDir.resolve(GroupCa.CERT_FILE).toString());
    }

    private void issue(int site, SiteCredential credential, GroupCa ca, Path caDir, Path cert, Path keyFile) throws IOException {
        Instant now = Instant.now();
        KeyPair key = GroupCa.newKeyPair();
        String name = "site" + site;
        Set<String> roles = spec.gateway(site) ? Set.of(NodeRoles.GATEWAY) : Set.of();
        X509Certificate issued = switch (credential) {
            case VALID, OTHER_CA -> placed(site, () -> ca.issue(name, key.getPublic(), Optional.empty(), now, spec.certLifetime(), roles));
            case EXPIRED -> ca.issue(name, key.getPublic(), Optional.empty(), now.minus(EXPIRED_AGO), Duration.ofHours(1));
            case ADDRESS_MISMATCH -> {
                byte[] salt = new byte[RingSalt.BYTES];
                RANDOM.nextBytes(salt);
                yield issueNaming(RingSalt.address(GroupCa.newKeyPair().getPublic(), salt), salt, name, key.getPublic(),
                        ca.certificate(), Pem.readKey(caDir.resolve(GroupCa.KEY_FILE)), now, spec.certLifetime());
            }
        };
        Pem.writeKey(keyFile, key.getPrivate());
        Pem.write(cert, issued);
    }

    /**
     * Whether the certificate in {@code file} has expired (a short-lived one left by a lab that
     * stopped renewing it): a valid site gets a new one. Only once it has: a renewing lab admits
     * each site's certificate to its group server before the node starts, and the node must start
     * with that one.
     */
    private static boolean expired(Path file) throws IOException {
        return Pem.readCertificate(file).getNotAfter().toInstant().isBefore(Instant.now());
    }

    /**
     * A certificate from {@code issue} whose ring address falls in the arc the lab's
     * {@link LabSpec#ringOrder} gives {@code site}: each issue draws a fresh salt (the CA's, as for any
     * node), so a few tries per site put it there; the first one where the lab has no order.
     */
    private X509Certificate placed(int site, java.util.function.Supplier<X509Certificate> issue) throws IOException {
        java.util.OptionalInt position = spec.ringPosition(site);
        if (position.isEmpty()) {
            return issue.get();
        }
        int n = spec.ringOrder().size();
        RingAddress from = RingAddress.atFraction((double) position.getAsInt() / n);
        RingAddress to = position.getAsInt() == n - 1 ? RingAddress.MAX : RingAddress.atFraction((double) (position.getAsInt() + 1) / n);
        for (int tries = 0; tries < MAX_PLACING_TRIES; tries++) {
            X509Certificate cert = issue.get();
            try {
                RingAddress address = RingSalt.address(cert.getPublicKey(), RingSalt.of(cert).orElseThrow());
                if (address.compareTo(from) >= 0 && address.compareTo(to) < 0) {
                    return cert;
                }
            } catch (NodeCertificate.CertificateRejected e) {
                throw new IOException("site " + site + ": the lab CA's certificate does not parse: " + e.getMessage(), e);
            }
        }
        throw new IOException("site " + site + ": no certificate of " + MAX_PLACING_TRIES + " fell in its arc of the ring");
    }

    /** Whether the certificate in {@code file} carries no ring salt (or none that parses). */
    private static boolean unsalted(Path file) throws IOException {
        try {
            return RingSalt.of(Pem.readCertificate(file)).isEmpty();
        } catch (NodeCertificate.CertificateRejected e) {
            return true;
        }
    }

    /** Whether the certificate in {@code file} grants {@code role} (false when its roles do not parse). */
    private static boolean grants(Path file, String role) throws IOException {
        try {
            return NodeRoles.of(Pem.readCertificate(file)).contains(role);
        } catch (NodeCertificate.CertificateRejected e) {
            return false;
        }
    }

    /** The group name of the lab's CA, {@code lab-NAME}: also the DNS domain its sites answer host names in. */
    static String group(LabSpec spec) {
        return "lab-" + spec.name();
    }

    /** The CA of {@code dir}, made (group {@code group}) when there is none yet. */
    private GroupCa ca(Path dir, String group, Instant now) throws IOException {
        if (!Files.exists(dir.resolve(GroupCa.CERT_FILE))) {
            GroupCa.create(group, now, CA_VALIDITY).save(dir);
        }
        return GroupCa.load(dir, now);
    }

    /**
     * A node certificate signed by a CA and right in every way but one: it carries ring salt
     * {@code salt} but names {@code address} as the node's ring address, whatever the key and salt
     * give. {@link GroupCa} never issues one; the security demo needs one to show that the other
     * nodes refuse it (as {@code certificate-address-not-key}, not for a missing salt).
     */
    static X509Certificate issueNaming(RingAddress address, byte[] salt, String name, PublicKey nodeKey, X509Certificate caCert,
                                       PrivateKey caKey, Instant now, Duration validity) {
        X500Name issuer = X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
        String group = issuer.getRDNs(BCStyle.O)[0].getFirst().getValue().toString();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, group).addRDN(BCStyle.CN, name).build();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), subject, nodeKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, RING_URN + address)));
            b.addExtension(RingSalt.extension(salt));
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("Ed25519").build(caKey)));
        } catch (CertIOException | OperatorCreationException | CertificateException e) {
            throw new IllegalStateException("signing a certificate failed", e);
        }
    }
}
