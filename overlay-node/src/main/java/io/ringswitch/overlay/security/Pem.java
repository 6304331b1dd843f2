package io.ringswitch.overlay.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** Reading and writing keys, certificates and requests as PEM files; every failure says which file and why. */
public final class Pem {
    private Pem() {
    }

    public static String encode(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    /** Writes a private key readable by its owner only, through no link ({@link LocalFiles#write}). */
    public static void writeKey(Path file, PrivateKey key) throws IOException {
        LocalFiles.write(file, encode(key).getBytes(java.nio.charset.StandardCharsets.US_ASCII), LocalFiles.OWNER_ONLY);
    }

    public static void write(Path file, Object object) throws IOException {
        Files.writeString(file, encode(object));
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        Object o = read(file);
        if (!(o instanceof X509CertificateHolder holder)) {
            throw new IOException(file + ": no certificate in it (found " + describe(o) + ")");
        }
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IOException(file + ": the certificate does not parse: " + e.getMessage(), e);
        }
    }

    /** Reads a private key, refused when its group or others may read it ({@link LocalFiles#checkPrivate}). */
    public static PrivateKey readKey(Path file) throws IOException {
        LocalFiles.checkPrivate(file);
        Object o = read(file);
        if (!(o instanceof PrivateKeyInfo info)) {
            throw new IOException(file + ": no private key in it (found " + describe(o) + ")");
        }
        return new JcaPEMKeyConverter().getPrivateKey(info);
    }

    public static PKCS10CertificationRequest readRequest(Path file) throws IOException {
        Object o = read(file);
        if (!(o instanceof PKCS10CertificationRequest request)) {
            throw new IOException(file + ": no certificate request in it (found " + describe(o) + ")");
        }
        return request;
    }

    private static Object read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IOException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            Object o = parser.readObject();
            if (o == null) {
                throw new IOException(file + ": no PEM block in it");
            }
            return o;
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not valid PEM (" + e.getMessage() + ")", e);
        }
    }

    private static String describe(Object o) {
        return o == null ? "nothing" : o.getClass().getSimpleName();
    }
}
