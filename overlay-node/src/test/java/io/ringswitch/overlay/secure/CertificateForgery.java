package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import io.ringswitch.overlay.security.RingSalt;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates a careless or compromised CA might sign, for the refusal tests. */
final class CertificateForgery {
    private CertificateForgery() {
    }

    /**
     * Signed by {@code ca} and carrying a ring salt, but naming the ring address another key gives
     * with that salt, not its own.
     */
    static NodeIdentity addressNotKey(GroupCa ca, String name) throws Exception {
        Path dir = Files.createTempDirectory("forgery");
        ca.save(dir);
        PrivateKey caKey = Pem.readKey(dir.resolve(GroupCa.KEY_FILE));
        KeyPair node = GroupCa.newKeyPair();
        KeyPair someoneElse = GroupCa.newKeyPair();
        X509Certificate caCert = ca.certificate();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded()), BigInteger.TEN,
                Date.from(SecureNodes.NOW.minusSeconds(60)), Date.from(SecureNodes.NOW.plus(Duration.ofDays(1))),
                new X500Name("O=lab,CN=" + name), node.getPublic());
        byte[] salt = new byte[RingSalt.BYTES];
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
                GeneralName.uniformResourceIdentifier, "urn:ringswitch:ring:" + RingSalt.address(someoneElse.getPublic(), salt))));
        b.addExtension(RingSalt.extension(salt));
        X509Certificate forged = new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("Ed25519").build(caKey)));
        for (Path p : Files.list(dir).toList()) {
            Files.delete(p);
        }
        Files.delete(dir);
        return new NodeIdentity(node.getPrivate(), NodeCertificate.readUnverified(forged), caCert);
    }
}
