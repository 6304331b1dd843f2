package io.ringswitch.overlay.group;

import io.ringswitch.overlay.security.LocalFiles;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The group server's TLS key and certificate: self-signed, ECDSA P-256 (what every browser and
 * the JDK speak; browsers do not take Ed25519 server certificates), made at first start and kept
 * in the server's directory. Nodes do not trust it through a CA: the enrolment token carries the
 * SHA-256 fingerprint of this certificate, which {@code ringswitch enrol} and the renewal client
 * pin ({@link PinnedTrust}); a browser shows the same fingerprint to compare.
 */
public final class ServerCertificate {
    static final String KEY_FILE = "server-tls.key";
    static final String CERT_FILE = "server-tls.crt";

    private final PrivateKey key;
    private final X509Certificate certificate;

    private ServerCertificate(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** Loads the key and certificate of {@code dir}, or makes them for {@code host} when absent. */
    public static ServerCertificate loadOrCreate(Path dir, String host) throws IOException {
        Path keyFile = dir.resolve(KEY_FILE);
        Path certFile = dir.resolve(CERT_FILE);
        if (Files.exists(keyFile) && Files.exists(certFile)) {
            return new ServerCertificate(Pem.readKey(keyFile), Pem.readCertificate(certFile));
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = g.generateKeyPair();
            X500Name name = new X500Name("CN=RingSwitch group server " + host.replaceAll("[^A-Za-z0-9.:-]", ""));
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
            boolean literal = host.matches("[0-9.]+") || host.contains(":");
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(literal
                    ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress())
                    : new GeneralName(GeneralName.dNSName, host)));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            Files.createDirectories(dir);
            // PKCS#8, which Pem.readKey reads (a PEM writer would write SEC1 "EC PRIVATE KEY").
            LocalFiles.write(keyFile, Pem.encode(new JcaPKCS8Generator(pair.getPrivate(), null))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII), LocalFiles.OWNER_ONLY);
            LocalFiles.write(certFile, Pem.encode(cert).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    LocalFiles.GROUP_READABLE);
            return new ServerCertificate(pair.getPrivate(), cert);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot make the server's TLS certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the certificate's DER, 64 lower-case hex digits: what clients pin. */
    public String sha256() {
        return fingerprint(certificate);
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that serves this certificate. */
    SSLContext sslContext() throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("server", key, none, new Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
