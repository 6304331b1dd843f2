package io.ringswitch.overlay.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * A node's identity as loaded at start: its key, its certificate and the group's CA, checked
 * together. A node refuses to start with a file that does not load or does not pass, and says
 * which file and why.
 */
public record NodeIdentity(PrivateKey key, NodeCertificate certificate, X509Certificate ca) {

    /** Loads and checks the three files. */
    public static NodeIdentity load(Path certificateFile, Path keyFile, Path caFile, Instant now) throws IOException {
        X509Certificate ca = Pem.readCertificate(caFile);
        X509Certificate cert = Pem.readCertificate(certificateFile);
        PrivateKey key = Pem.readKey(keyFile);
        NodeCertificate verified;
        try {
            verified = NodeCertificate.verify(cert, ca, now);
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IOException(certificateFile + ": refused against CA " + caFile + ": " + e.getMessage());
        }
        if (!belongTogether(key, cert.getPublicKey())) {
            throw new IOException(keyFile + ": this key is not the key of " + certificateFile);
        }
        return new NodeIdentity(key, verified, ca);
    }

    /**
     * Loads the three files without checking the certificate: for the security demo's deliberately
     * bad nodes only (system property {@code ringswitch.identity.unverified=true}).
     */
    public static NodeIdentity loadUnverified(Path certificateFile, Path keyFile, Path caFile) throws IOException {
        X509Certificate cert = Pem.readCertificate(certificateFile);
        try {
            return new NodeIdentity(Pem.readKey(keyFile), NodeCertificate.readUnverified(cert), Pem.readCertificate(caFile));
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IOException(certificateFile + ": " + e.getMessage());
        }
    }

    /** Whether a private key is the one of a public key: it signs, the public key verifies. */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        byte[] probe = "ringswitch key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
