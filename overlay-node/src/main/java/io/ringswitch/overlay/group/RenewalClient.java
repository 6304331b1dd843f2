package io.ringswitch.overlay.group;

import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * One renewal through the group server: a fresh nonce, signed with the node's current key (which
 * proves the caller holds the key of the certificate it shows, and the nonce makes a recorded
 * request useless later), exchanged for a certificate of the same key and ring salt.
 */
public final class RenewalClient implements CertificateRenewer.Client {
    private final GroupClient client;
    private final String server;

    public RenewalClient(String server, String serverSha256) {
        this.client = new GroupClient(server, serverSha256);
        this.server = server;
    }

    @Override
    public String server() {
        return server;
    }

    /** The renewed certificate of {@code identity}; throws with the server's reason when refused. */
    @Override
    public X509Certificate renew(NodeIdentity identity) throws IOException {
        String nonce = client.get("/api/nonce", GroupApi.Nonce.class).nonce();
        String signature;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(identity.key());
            s.update((GroupApi.RENEW_CONTEXT + nonce).getBytes(StandardCharsets.UTF_8));
            signature = Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot sign the nonce: " + e.getMessage(), e);
        }
        GroupApi.RenewResponse r = client.post("/api/renew", new GroupApi.RenewRequest(
                Pem.encode(identity.certificate().certificate()), nonce, signature), GroupApi.RenewResponse.class);
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(r.certificate().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IOException("the renewed certificate does not parse: " + e.getMessage(), e);
        }
    }
}
