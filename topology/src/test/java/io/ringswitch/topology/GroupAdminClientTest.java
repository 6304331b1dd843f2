package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.group.EnrolmentClient;
import io.ringswitch.overlay.group.GroupServer;
import io.ringswitch.overlay.security.GroupCa;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The revocation lab's administrator client against a group server on the loopback: it asks to
 * join, approves with the token the page shows (which enrols), and revokes with the page's button,
 * after which the CRL lists the member; a wrong password gets no session and no action.
 */
class GroupAdminClientTest {
    private static final String PASSWORD = "a long enough administrator password";

    @TempDir
    Path tmp;
    private GroupServer server;

    private GroupAdminClient start() throws IOException {
        Instant now = Instant.now();
        GroupCa ca = GroupCa.create("lab", now.minusSeconds(60), Duration.ofDays(30));
        ca.save(tmp.resolve("ca"));
        server = GroupServer.start(new GroupServer.Settings(tmp.resolve("server"), new InetSocketAddress("127.0.0.1", 0),
                tmp.resolve("ca"), List.of("127.0.0.1:5800"), Duration.ofDays(3)), PASSWORD, Clock.systemUTC());
        return new GroupAdminClient(server.url(), tmp.resolve("server/server-tls.crt"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void asksApprovesAndRevokesAsThePagesDo() throws Exception {
        GroupAdminClient admin = start();
        assertTrue(admin.ask("site4", "noc@site4.example").startsWith("/status/"));
        admin.login(PASSWORD);
        String token = admin.approve("site4");
        EnrolmentClient.Result enrolled = EnrolmentClient.enrol(new EnrolmentClient.Options(server.url(), token,
                tmp.resolve("site4"), "0.0.0.0:5800", "br0", "rs0"));
        assertEquals(0, crl().getRevokedCertificates() == null ? 0 : crl().getRevokedCertificates().size());
        admin.revoke("site4");
        assertTrue(crl().isRevoked(enrolled.identity().certificate().certificate()), "the revoked member is in the CRL");
        assertThrows(IOException.class, () -> admin.revoke("site4"), "a second revoke is refused and said so");
    }

    @Test
    void aWrongPasswordGetsNoSessionAndNoAction() throws Exception {
        GroupAdminClient admin = start();
        admin.ask("site4", "noc@site4.example");
        assertThrows(IOException.class, () -> admin.login("not the administrator's password"));
        assertThrows(IOException.class, () -> admin.approve("site4"));
        assertEquals(1, server.refusals().getOrDefault("login-failed", 0L));
    }

    private X509CRL crl() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(tmp.resolve("server/server-tls.crt"))) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        byte[] der = HttpClient.newBuilder().sslContext(ctx).build()
                .send(HttpRequest.newBuilder(URI.create(server.url() + "/crl")).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }
}
