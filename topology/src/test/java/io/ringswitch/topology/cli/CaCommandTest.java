package io.ringswitch.topology.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeRoles;
import io.ringswitch.overlay.security.Pem;
import io.ringswitch.overlay.security.RingSalt;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ringswitch ca}: a certificate from before ring salts is shown as refused and renewed with one. */
class CaCommandTest {
    @TempDir
    Path dir;

    private static int run(String... args) {
        return new CommandLine(new CaCommand()).execute(args);
    }

    /** What the CA issued before issue 18: no ring salt, the address named is the key's alone. */
    private static X509Certificate unsalted(X509Certificate ca, PrivateKey caKey, KeyPair node) throws Exception {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                BigInteger.TEN, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("O=g,CN=site1"), node.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.uniformResourceIdentifier, "urn:ringswitch:ring:" + "ab".repeat(20)),
            new GeneralName(GeneralName.iPAddress, "10.77.1.5")}));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("Ed25519").build(caKey)));
    }

    @Test
    void anUnsaltedCertificateIsRefusedByShowAndRenewedForTheSameKeyWithASalt() throws Exception {
        Path ca = dir.resolve("ca");
        assertEquals(0, run("init", "--dir", ca.toString(), "--group", "g"));
        KeyPair node = GroupCa.newKeyPair();
        X509Certificate caCert = Pem.readCertificate(ca.resolve(GroupCa.CERT_FILE));
        Pem.write(dir.resolve("old.crt"), unsalted(caCert, Pem.readKey(ca.resolve(GroupCa.KEY_FILE)), node));
        assertEquals(1, run("show", dir.resolve("old.crt").toString(), "--ca", ca.resolve(GroupCa.CERT_FILE).toString()));

        Path out = dir.resolve("out");
        assertEquals(0, run("issue", "--dir", ca.toString(), "--renew", dir.resolve("old.crt").toString(), "--out", out.toString()));
        X509Certificate renewed = Pem.readCertificate(out.resolve("site1.crt"));
        NodeCertificate ok = NodeCertificate.verify(renewed, caCert, Instant.now());
        assertArrayEquals(node.getPublic().getEncoded(), renewed.getPublicKey().getEncoded());
        assertEquals("site1", ok.name());
        assertEquals(Optional.of(InetAddress.getByName("10.77.1.5")), ok.virtualIp());
        assertEquals(RingSalt.address(node.getPublic(), RingSalt.of(renewed).orElseThrow()), ok.address());
        assertEquals(0, run("show", out.resolve("site1.crt").toString(), "--ca", ca.resolve(GroupCa.CERT_FILE).toString()));
    }

    @Test
    void issueWithRoleGatewayGrantsTheRoleAndRenewalKeepsIt() throws Exception {
        Path ca = dir.resolve("ca");
        assertEquals(0, run("init", "--dir", ca.toString(), "--group", "g"));
        Path out = dir.resolve("out");
        assertEquals(0, run("issue", "--dir", ca.toString(), "--name", "gw1", "--role", "gateway", "--out", out.toString()));
        assertEquals(0, run("issue", "--dir", ca.toString(), "--name", "site2", "--out", out.toString()));
        assertEquals(java.util.Set.of(NodeRoles.GATEWAY), NodeRoles.of(Pem.readCertificate(out.resolve("gw1.crt"))));
        assertEquals(java.util.Set.of(), NodeRoles.of(Pem.readCertificate(out.resolve("site2.crt"))));
        Path renewed = dir.resolve("renewed");
        assertEquals(0, run("issue", "--dir", ca.toString(), "--renew", out.resolve("gw1.crt").toString(), "--out",
                renewed.toString()));
        assertEquals(java.util.Set.of(NodeRoles.GATEWAY), NodeRoles.of(Pem.readCertificate(renewed.resolve("gw1.crt"))));
        assertEquals(2, run("issue", "--dir", ca.toString(), "--name", "bad", "--role", "No Such Role", "--out", out.toString()),
                "a role that is no word is refused");
    }

    @Test
    void aCertificateOfAnotherCaIsNotRenewed() throws Exception {
        Path ca = dir.resolve("ca");
        Path other = dir.resolve("other");
        assertEquals(0, run("init", "--dir", ca.toString(), "--group", "g"));
        assertEquals(0, run("init", "--dir", other.toString(), "--group", "g"));
        X509Certificate otherCert = Pem.readCertificate(other.resolve(GroupCa.CERT_FILE));
        Pem.write(dir.resolve("theirs.crt"), unsalted(otherCert, Pem.readKey(other.resolve(GroupCa.KEY_FILE)), GroupCa.newKeyPair()));
        Path out = dir.resolve("out");
        assertEquals(1, run("issue", "--dir", ca.toString(), "--renew", dir.resolve("theirs.crt").toString(), "--out", out.toString()));
        assertTrue(!out.resolve("site1.crt").toFile().exists());
    }
}
