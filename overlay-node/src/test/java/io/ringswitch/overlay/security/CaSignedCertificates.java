package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.RingAddress;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Node certificates signed by a real group CA but laid out as {@link GroupCa} never lays them
 * out (another address, no salt, the salt of the signer's choice): what a careless or old CA
 * would sign, for the refusal tests of this package and of the link layer.
 */
public final class CaSignedCertificates {
    private CaSignedCertificates() {
    }

    /**
     * A certificate of {@code subject} for {@code key}, signed by {@code ca}, naming ring address
     * {@code named} and carrying {@code salt} (none when empty).
     */
    public static X509Certificate sign(GroupCa ca, X500Name subject, PublicKey key, Optional<byte[]> salt,
                                       RingAddress named, Instant now) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), BigInteger.TEN,
                Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))), subject, key);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                GeneralName.uniformResourceIdentifier, NodeCertificate.RING_URN + named)));
        if (salt.isPresent()) {
            b.addExtension(RingSalt.extension(salt.get()));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("Ed25519").build(caKey(ca))));
    }

    /** The CA's private key, read back from the files {@link GroupCa#save} writes (removed after). */
    private static PrivateKey caKey(GroupCa ca) throws Exception {
        Path dir = Files.createTempDirectory("ca-key");
        try {
            ca.save(dir);
            return Pem.readKey(dir.resolve(GroupCa.KEY_FILE));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
