package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group server on loopback, driven as a requester, an administrator, an enrolling node and attackers would. */
class GroupServerTest {
    static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path tmp;
    TestClock clock = new TestClock();
    GroupServer server;
    GroupCa ca;

    @BeforeEach
    void start() throws IOException {
        ca = GroupCa.create("testgroup", clock.instant(), Duration.ofDays(30));
        ca.save(tmp.resolve("ca"));
        server = GroupServer.start(new GroupServer.Settings(tmp.resolve("server"), new InetSocketAddress("127.0.0.1", 0),
                tmp.resolve("ca"), List.of("192.0.2.1:5800"), Duration.ofMinutes(2)), PASSWORD, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Asks, approves as the administrator and returns the token the requester's status page shows. */
    String approvedToken(TestBrowser admin, String site) throws Exception {
        TestBrowser requester = new TestBrowser(server);
        String id = requester.ask(site);
        assertTrue(requester.get("/status/" + id).body().contains("pending"));
        assertEquals(200, admin.post("/admin/approve", TestBrowser.form("csrf", admin.csrf(), "id", id)).statusCode());
        Matcher m = Pattern.compile("<code id=\"token\">([^<]+)</code>").matcher(requester.get("/status/" + id).body());
        assertTrue(m.find(), "the status page shows the token once approved");
        return m.group(1);
    }

    EnrolmentClient.Result enrol(String token, String dir) throws IOException {
        return EnrolmentClient.enrol(new EnrolmentClient.Options(server.url(), token, tmp.resolve(dir), "0.0.0.0:5800", "br0", "rs0"));
    }

    @Test
    void aSiteAsksIsApprovedEnrolsAndIsRevokedIntoTheCrl() throws Exception {
        TestBrowser admin = new TestBrowser(server);
        assertEquals(303, admin.login(PASSWORD));
        EnrolmentClient.Result r = enrol(approvedToken(admin, "site1"), "site1");

        assertEquals("site1", r.identity().certificate().name());
        assertEquals("testgroup", r.identity().certificate().group());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("site1/node.key"))));
        NodeConfig config = NodeConfig.load(r.config());
        assertEquals("site1", config.name());
        assertEquals(List.of("192.0.2.1:5800"), config.bootstrap());
        assertEquals(server.tlsSha256(), config.renewal().serverSha256());
        assertTrue(admin.get("/admin").body().contains(r.identity().certificate().address().toString()));
        long before = crlNumber(crl());
        assertEquals(before, crlNumber(crl()), "one list, one number");

        assertEquals(200, admin.post("/admin/revoke", TestBrowser.form("csrf", admin.csrf(), "name", "site1")).statusCode());
        assertTrue(admin.get("/admin").body().contains("class=\"revoked\""));
        X509CRL crl = crl();
        crl.verify(ca.certificate().getPublicKey());
        assertTrue(crl.isRevoked(r.identity().certificate().certificate()));
        assertTrue(crlNumber(crl) > before, "a new list has a higher number");
    }

    /**
     * A node that fetches the CRL from the server learns the revoked member's record, with its ring
     * address, and acts on it; a CRL signed by another CA (a server that is not the group's) is
     * refused and revokes nothing.
     */
    @Test
    void aNodeFetchingTheCrlLearnsARevocationAndRefusesAnotherCasList() throws Exception {
        TestBrowser admin = new TestBrowser(server);
        assertEquals(303, admin.login(PASSWORD));
        NodeIdentity member = enrol(approvedToken(admin, "site9"), "site9").identity();
        io.ringswitch.overlay.security.Revocations revocations =
                new io.ringswitch.overlay.security.Revocations(ca.certificate(), tmp.resolve("revocations"));
        io.ringswitch.overlay.revocation.CrlFetcher fetcher = new io.ringswitch.overlay.revocation.CrlFetcher(
                new CrlSource(server.url(), server.tlsSha256())::fetch, ca.certificate(), revocations, clock);
        assertEquals(0, fetcher.fetchOnce());
        assertEquals(200, admin.post("/admin/revoke", TestBrowser.form("csrf", admin.csrf(), "name", "site9")).statusCode());
        assertEquals(1, fetcher.fetchOnce());
        assertTrue(revocations.revoked(member.certificate().address()));
        assertTrue(revocations.revoked(member.certificate().certificate()));

        GroupCa other = GroupCa.create("testgroup", clock.instant(), Duration.ofDays(30));
        io.ringswitch.overlay.security.Revocations elsewhere =
                new io.ringswitch.overlay.security.Revocations(other.certificate(), null);
        io.ringswitch.overlay.revocation.CrlFetcher misled = new io.ringswitch.overlay.revocation.CrlFetcher(
                new CrlSource(server.url(), server.tlsSha256())::fetch, other.certificate(), elsewhere, clock);
        assertEquals(-1, misled.fetchOnce());
        assertEquals(0, elsewhere.size());
        assertEquals(1L, misled.refusals().get("crl-bad-signature"));
        fetcher.close();
        misled.close();
    }

    static long crlNumber(X509CRL crl) throws IOException {
        return org.bouncycastle.asn1.ASN1Integer.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(
                crl.getExtensionValue("2.5.29.20")).getOctets()).longValueExact();
    }

    X509CRL crl() throws Exception {
        TestBrowser anyone = new TestBrowser(server);
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(PinnedTrust.context(server.tlsSha256())).build();
        byte[] der = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + "/crl")).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }

    @Test
    void aTokenWorksOnceOnly() throws Exception {
        TestBrowser admin = new TestBrowser(server);
        admin.login(PASSWORD);
        String token = approvedToken(admin, "site2");
        enrol(token, "first");
        IOException reuse = assertThrows(IOException.class, () -> enrol(token, "second"));
        assertTrue(reuse.getMessage().contains("used"), reuse.getMessage());
        assertFalse(Files.exists(tmp.resolve("second/node.crt")));
        assertEquals(1, server.store().members().size());
        assertTrue(server.refusals().getOrDefault("token-used", 0L) >= 1);
    }

    @Test
    void aPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
        TestBrowser a = new TestBrowser(server);
        TestBrowser b = new TestBrowser(server);
        a.login(PASSWORD);
        b.login(PASSWORD);
        String id = new TestBrowser(server).ask("site3");

        assertEquals(400, a.post("/admin/approve", TestBrowser.form("id", id)).statusCode());
        assertEquals(400, a.post("/admin/approve", TestBrowser.form("csrf", b.csrf(), "id", id)).statusCode());
        TestBrowser noCookie = new TestBrowser(server);
        assertEquals(400, noCookie.post("/admin/approve", TestBrowser.form("csrf", a.csrf(), "id", id)).statusCode());
        assertEquals(GroupState.Status.PENDING, server.store().request(id).orElseThrow().status());
        assertEquals(2L, server.refusals().get("csrf"));

        assertEquals(200, a.post("/admin/approve", TestBrowser.form("csrf", a.csrf(), "id", id)).statusCode());
        assertEquals(GroupState.Status.APPROVED, server.store().request(id).orElseThrow().status());
    }

    @Test
    void loginsAreThrottledAfterFiveFailures() throws Exception {
        TestBrowser guesser = new TestBrowser(server);
        for (int i = 0; i < LoginThrottle.FREE; i++) {
            assertEquals(403, guesser.login("guess" + i));
        }
        assertEquals(429, guesser.login(PASSWORD), "even the right password waits out the lockout");
        assertTrue(guesser.cookie == null);
    }

    @Test
    void badInputGetsAClearErrorAndEscapedHtml() throws Exception {
        TestBrowser t = new TestBrowser(server);
        HttpResponse<String> r = t.post("/join", TestBrowser.form("site", "<script>x</script>", "contact", "a"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("&lt;script&gt;"));
        assertFalse(r.body().contains("<script>"));
        assertFalse(r.body().contains("Exception"));
        assertEquals(404, t.get("/status/nonexistent").statusCode());
        assertEquals(1L, server.refusals().get("form-site"));
    }

    /** Runs what the renewer schedules when the test says so, recording the delay asked for. */
    static final class StepScheduler implements Scheduler {
        final List<Long> delays = new ArrayList<>();
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public long nowMillis() {
            return 0;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            delays.add(delayMillis);
            tasks.add(task);
            return () -> { };
        }

        void runLast() {
            tasks.get(tasks.size() - 1).run();
        }
    }

    @Test
    void aTwoMinuteCertificateIsRenewedAtTwoThirdsKeepingItsAddressAndARevokedOneIsNot() throws Exception {
        TestBrowser admin = new TestBrowser(server);
        admin.login(PASSWORD);
        EnrolmentClient.Result r = enrol(approvedToken(admin, "site4"), "site4");
        NodeIdentity first = r.identity();
        StepScheduler scheduler = new StepScheduler();
        List<NodeIdentity> handedOver = new ArrayList<>();
        Path certFile = tmp.resolve("site4/node.crt");
        CertificateRenewer renewer = new CertificateRenewer(first, new RenewalClient(server.url(), server.tlsSha256()),
                certFile, scheduler, Runnable::run, handedOver::add, clock);
        renewer.start();
        Instant due = renewer.due();
        assertTrue(due.isAfter(clock.instant()) && due.isBefore(first.certificate().notAfter()));
        assertEquals(Duration.between(clock.instant(), due).toMillis(), scheduler.delays.get(0), 1000);

        clock.advance(Duration.between(clock.instant(), due));
        scheduler.runLast();
        assertEquals(1, handedOver.size());
        NodeIdentity second = handedOver.get(0);
        assertEquals(first.certificate().address(), second.certificate().address(), "renewal keeps the ring address");
        assertTrue(second.certificate().notAfter().isAfter(first.certificate().notAfter()));
        assertEquals(second.certificate().certificate(), Pem.readCertificate(certFile));
        assertEquals("valid", renewer.status().state());

        admin.post("/admin/revoke", TestBrowser.form("csrf", admin.csrf(), "name", "site4"));
        clock.advance(Duration.between(clock.instant(), renewer.due()));
        scheduler.runLast();
        assertEquals(1, handedOver.size(), "a revoked member gets no new certificate");
        assertEquals("renewal-failing", renewer.status().state());
        assertTrue(renewer.status().lastError().contains("revoked"), renewer.status().lastError());
        assertEquals(second.certificate().notAfter().toString(), renewer.status().notAfter());
    }

    @Test
    void withTheServerDownTheNodeKeepsItsCertificateAndSaysSo() throws Exception {
        TestBrowser admin = new TestBrowser(server);
        admin.login(PASSWORD);
        NodeIdentity first = enrol(approvedToken(admin, "site5"), "site5").identity();
        StepScheduler scheduler = new StepScheduler();
        CertificateRenewer renewer = new CertificateRenewer(first, new RenewalClient(server.url(), server.tlsSha256()),
                tmp.resolve("site5/node.crt"), scheduler, Runnable::run, n -> { }, clock);
        renewer.start();
        server.close();
        clock.advance(Duration.between(clock.instant(), renewer.due()));
        scheduler.runLast();
        assertEquals("renewal-failing", renewer.status().state(), renewer.status().toString());
        assertEquals(1, renewer.status().failures());
        assertEquals(first, renewer.identity());
        long retry = scheduler.delays.get(scheduler.delays.size() - 1);
        assertTrue(retry >= 5000 && retry < Duration.ofMinutes(1).toMillis(), "retries at a tenth of the time left: " + retry);
        clock.advance(Duration.ofMinutes(2));
        assertEquals("expired", renewer.status().state());
    }

    @Test
    void aRestartedServerKeepsItsMembersTokensAndFingerprint() throws Exception {
        TestBrowser admin = new TestBrowser(server);
        admin.login(PASSWORD);
        String token = approvedToken(admin, "site6");
        String fingerprint = server.tlsSha256();
        server.close();
        server = GroupServer.start(new GroupServer.Settings(tmp.resolve("server"), new InetSocketAddress("127.0.0.1", 0),
                tmp.resolve("ca"), List.of("192.0.2.1:5800"), Duration.ofMinutes(2)), null, clock);
        assertEquals(fingerprint, server.tlsSha256());
        assertEquals("site6", enrol(token, "site6").identity().certificate().name());
        assertEquals(303, new TestBrowser(server).login(PASSWORD));
    }

    @Test
    void aRenewalSignedWithAnotherKeyIsRefused() throws Exception {
        TestBrowser admin = new TestBrowser(server);
        admin.login(PASSWORD);
        NodeIdentity victim = enrol(approvedToken(admin, "victim"), "victim").identity();
        NodeIdentity thief = new NodeIdentity(GroupCa.newKeyPair().getPrivate(), victim.certificate(), victim.ca());
        IOException e = assertThrows(IOException.class, () -> new RenewalClient(server.url(), server.tlsSha256()).renew(thief));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertEquals(1L, server.refusals().get("renew-signature"));
        assertNotEquals(null, new RenewalClient(server.url(), server.tlsSha256()).renew(victim));
    }

    @Test
    void aClientPinningAnotherCertificateDoesNotTalk() throws Exception {
        String wrong = "0".repeat(64);
        IOException e = assertThrows(IOException.class, () -> EnrolmentClient.enrol(new EnrolmentClient.Options(server.url(),
                "abc." + wrong, tmp.resolve("x"), "0.0.0.0:5800", "br0", "rs0")));
        assertFalse(e.getMessage().contains("refused:"), "no request reached the server: " + e.getMessage());
    }

    @Test
    void aMemberAdmittedFromTheServersHostIsRenewedAndACertificateOfAnotherCaIsNotAdmitted() throws Exception {
        server.close();
        java.security.KeyPair key = GroupCa.newKeyPair();
        io.ringswitch.overlay.security.NodeCertificate issued = io.ringswitch.overlay.security.NodeCertificate.verify(
                ca.issue("site7", key.getPublic(), java.util.Optional.empty(), clock.instant(), Duration.ofMinutes(2)),
                ca.certificate(), clock.instant());
        GroupServer.admit(tmp.resolve("server"), tmp.resolve("ca"), "site7", issued.certificate(), clock.instant());
        GroupCa other = GroupCa.create("testgroup", clock.instant(), Duration.ofDays(30));
        java.security.KeyPair intruder = GroupCa.newKeyPair();
        IOException refused = assertThrows(IOException.class, () -> GroupServer.admit(tmp.resolve("server"), tmp.resolve("ca"),
                "site8", other.issue("site8", intruder.getPublic(), java.util.Optional.empty(), clock.instant(),
                        Duration.ofMinutes(2)), clock.instant()));
        assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
        assertThrows(IOException.class, () -> GroupServer.admit(tmp.resolve("server"), tmp.resolve("ca"), "site7",
                issued.certificate(), clock.instant()), "a name is admitted once");

        server = GroupServer.start(new GroupServer.Settings(tmp.resolve("server"), new InetSocketAddress("127.0.0.1", 0),
                tmp.resolve("ca"), List.of("192.0.2.1:5800"), Duration.ofMinutes(2)), null, clock);
        NodeIdentity site7 = new NodeIdentity(key.getPrivate(), issued, ca.certificate());
        java.security.cert.X509Certificate renewed = new RenewalClient(server.url(), server.tlsSha256()).renew(site7);
        assertEquals(issued.address(), io.ringswitch.overlay.security.NodeCertificate.verify(renewed, ca.certificate(),
                clock.instant()).address());
    }
}
