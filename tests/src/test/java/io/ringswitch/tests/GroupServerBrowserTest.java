package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.group.EnrolmentClient;
import io.ringswitch.overlay.group.GroupServer;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Ping;
import io.ringswitch.topology.PingStream;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import io.ringswitch.overlay.api.NodeStatus;
import java.util.concurrent.CompletableFuture;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The group server's whole path as people take it, in Debian's headless Chromium, on a two-site
 * lab whose CA the group server holds: site 2 asks to join, the administrator logs in and
 * approves, the token is taken from the page, the node enrols ({@code ringswitch enrol}'s code, in
 * this process), site 2's node restarts with the enrolled key and certificate and the enrolled
 * {@code renewal:} section, joins the ring at the enrolled address, renews its minute-long
 * certificate twice through the group server while its host pings site 1's without loss, and is
 * online on the members page from the ring's view (site 1, a member the server knows, reports its
 * live peers with each CRL fetch); then the administrator revokes it on the page,
 * the member is marked revoked and is in the CA-signed CRL, and site 2's host stops getting answers
 * from site 1's within 15 s (site 1, fetching the CRL every 2 s, closes site 2's session), after which
 * the members page shows it offline. Screenshots of the
 * join page, the members and the revoked member go to {@code target/screenshots} (the README's
 * copies are in {@code docs/group-server/}).
 *
 * <p>Chromium trusts the server's self-signed certificate only by its key's SHA-256
 * ({@code --ignore-certificate-errors-spki-list}), the browser's form of the pin that enrol uses.
 */
class GroupServerBrowserTest {
    private static final String PASSWORD = "an administrator's long password";
    private static final Path SHOTS = Path.of("target", "screenshots");
    private static final LabSpec SPEC = LabSpec.of("grp", 2, 1);
    private static final String SERVER_LINK = "rsgrp-srv";
    private static final String SERVER_IP = "10.99.0.250";
    private static Lab lab;

    @TempDir
    static Path tmp;
    static GroupServer server;
    static GroupCa ca;
    static WebDriver browser;

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void start() throws Exception {
        Lab.down(SPEC.name(), GroupServerBrowserTest::log);
        lab = Lab.up(SPEC, Preflight.home(), GroupServerBrowserTest::log);
        Path caDir = lab.runDir().resolve("ca");
        ca = GroupCa.load(caDir, Instant.now());
        // The server runs in this process, in the root namespace: a veth into the lab's underlay
        // bridge lets the nodes reach it for renewals and the CRL (removed with the lab's namespaces).
        Shell.run(Duration.ofSeconds(10), "ip", "link", "add", SERVER_LINK, "type", "veth", "peer", "name", SERVER_LINK + "w",
                "netns", SPEC.wanNamespace()).orThrow();
        Shell.run(Duration.ofSeconds(10), "ip", "-n", SPEC.wanNamespace(), "link", "set", SERVER_LINK + "w", "master", "br0", "up")
                .orThrow();
        Shell.run(Duration.ofSeconds(10), "ip", "addr", "add", SERVER_IP + "/32", "dev", SERVER_LINK).orThrow();
        Shell.run(Duration.ofSeconds(10), "ip", "link", "set", SERVER_LINK, "up").orThrow();
        // Both sites reach it: site 2 renews, and both fetch the CRL.
        for (int site = 1; site <= 2; site++) {
            Shell.run(Duration.ofSeconds(10), "ip", "route", "add", SPEC.siteUnderlayIp(site) + "/32", "dev", SERVER_LINK).orThrow();
        }
        // Site 1 is a member the server knows (its certificate came from the lab's CA): its ring
        // reports, sent with each CRL fetch, are what shows the enrolled site online.
        X509Certificate site1 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                Files.newInputStream(lab.siteDir(1).resolve("node.crt")));
        GroupServer.admit(tmp.resolve("server"), caDir, NodeCertificate.verify(site1, ca.certificate(), Instant.now()).name(), site1,
                Instant.now());
        // Certificates live a minute: the node renews every 20 s or so (two thirds of the minute
        // and of the minute the CA backdates them by).
        server = GroupServer.start(new GroupServer.Settings(tmp.resolve("server"), new InetSocketAddress(SERVER_IP, 0),
                caDir, List.of(bootstrap()), Duration.ofMinutes(1)), PASSWORD, Clock.systemUTC());
        X509Certificate tls = serverCertificate();
        String spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(tls.getPublicKey().getEncoded()));
        browser = HeadlessChromium.start(tmp, "1100,900", "--ignore-certificate-errors-spki-list=" + spki);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        try {
            Shell.run(Duration.ofSeconds(10), "ip", "link", "del", SERVER_LINK);
        } catch (java.io.IOException e) {
            log("could not remove " + SERVER_LINK + ": " + e.getMessage());
        }
        try {
            Lab.down(SPEC.name(), GroupServerBrowserTest::log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String bootstrap() {
        return SPEC.siteUnderlayIp(1) + ":" + Lab.NODE_PORT;
    }

    private static void log(String line) {
        System.out.println("[lab] " + line);
    }

    private static X509Certificate serverCertificate() throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                Files.newInputStream(tmp.resolve("server/server-tls.crt")));
    }

    private void shot(String name) throws Exception {
        Files.createDirectories(SHOTS);
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    /**
     * The join page, loaded again until its form is there: one suite run in many found no form
     * 0.4 s after the first load (cause not found; the page it showed is in the failure message).
     */
    private void openJoinPage() {
        browser.get(server.url() + "/");
        try {
            waiting().until(d -> {
                if (!d.findElements(By.id("site")).isEmpty()) {
                    return true;
                }
                d.navigate().refresh();
                return false;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the join page never showed its form; it showed: " + browser.getPageSource(), e);
        }
    }

    @Test
    void askApproveEnrolRevoke() throws Exception {
        openJoinPage();
        browser.findElement(By.id("site")).sendKeys("site2");
        browser.findElement(By.id("contact")).sendKeys("noc@site2.example");
        shot("join-page");
        browser.findElement(By.id("ask")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("state"), "pending"));
        String statusPage = browser.getCurrentUrl();

        browser.get(server.url() + "/admin");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("approve-site2"))).click();
        String token = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("token-site2"))).getText();

        browser.get(statusPage);
        waiting().until(ExpectedConditions.textToBe(By.id("state"), "approved"));
        assertEquals(token, browser.findElement(By.id("token")).getText(), "the requester sees the token the administrator sees");

        Path out = tmp.resolve("site2");
        EnrolmentClient.Result enrolled = EnrolmentClient.enrol(new EnrolmentClient.Options(server.url(), token, out,
                "0.0.0.0:5800", "br0", "rs0"));
        NodeCertificate cert = NodeCertificate.verify(enrolled.identity().certificate().certificate(), ca.certificate(), Instant.now());
        assertEquals("site2", cert.name());
        assertTrue(cert.notAfter().isBefore(Instant.now().plus(Duration.ofMinutes(1)).plusSeconds(5)), "a short-lived certificate");
        NodeConfig config = NodeConfig.load(enrolled.config());
        assertEquals(List.of(bootstrap()), config.bootstrap());
        assertEquals(out.resolve("node.key").toAbsolutePath().toString(), config.identity().key());

        // Site 2's node runs in the lab's namespace with the lab's bridge and ports: it takes the
        // enrolled key and certificate, restarts, and must come back at the enrolled address.
        lab.stopNode(2, false);
        for (String file : new String[] {"node.key", "node.crt"}) {
            Files.copy(out.resolve(file), lab.siteDir(2).resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        lab.addConfig(2, "renewal: {server: " + config.renewal().server() + ", serverSha256: " + config.renewal().serverSha256() + "}");
        // Site 1 fetches the CRL too (site 2 does from its renewal: server), every 2 s.
        lab.stopNode(1, false);
        lab.addConfig(1, "revocation: {server: " + server.url() + ", serverSha256: " + server.tlsSha256() + ", intervalSeconds: 2}");
        lab.startNode(1);
        lab.startNode(2);
        lab.awaitReady(Duration.ofSeconds(45));
        assertEquals(cert.address().toString(), lab.nodeStatus(2).orElseThrow().address());
        // Pings across two renewals of site 2's minute-long certificate: none is lost.
        CompletableFuture<Ping> pings = CompletableFuture.supplyAsync(() -> {
            try {
                return lab.ping(2, 1, 1, 1, 120, 0.5);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (renewals() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        NodeStatus.CertificateStatus renewed = lab.nodeStatus(2).orElseThrow().certificate();
        assertTrue(renewed.renewals() >= 2, "site 2 renewed its certificate twice through the group server: " + renewed);
        assertEquals(cert.address().toString(), lab.nodeStatus(2).orElseThrow().address(), "renewal keeps the ring address");
        Ping ping = pings.get();
        assertTrue(ping.lossless(), "the enrolled site's host pings site 1's across renewals: " + ping);

        browser.get(server.url() + "/admin");
        String row = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("member-site2"))).getText();
        assertTrue(row.contains(cert.address().toString()) && row.contains("active"), row);
        // Site 1 reports its live peers every 2 s: site 2 is online from the ring's view.
        String online = onlineCell("site2", "online", Duration.ofSeconds(20));
        assertTrue(online.startsWith("online (seen live by 1 member"), "the enrolled site is online from the ring's view: " + online);
        shot("members");
        // Site 2's host pings site 1's every 0.2 s while the administrator revokes site 2 on the page.
        long revokedAt;
        try (PingStream stream = PingStream.start(SPEC, 2, 1, 0.2)) {
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (stream.received() < 5 && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(stream.received() >= 5, "site 2's host reaches site 1's before the revoke");
            revokedAt = System.currentTimeMillis();
            browser.findElement(By.id("revoke-site2")).click();
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-site2"), "revoked"));
            shot("revoked-member");
            // Answered pings stop: none for 3 s, at most 20 s after the revoke.
            long limit = revokedAt + 20_000;
            while (System.currentTimeMillis() - Math.max(revokedAt, stream.lastReplyMillis()) < 3_000
                    && System.currentTimeMillis() < limit) {
                Thread.sleep(100);
            }
            long lastAfter = stream.lastReplyMillis() - revokedAt;
            log("site 2's host: last answer from site 1's host " + lastAfter + " ms after the revoke");
            assertTrue(System.currentTimeMillis() - stream.lastReplyMillis() >= 3_000, "site 2's host still gets answers");
            assertTrue(lastAfter <= 15_000, "site 2's host got answers " + lastAfter + " ms after the revoke");
        }
        long closedBy = 0;
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (closedBy < 1 && System.nanoTime() < until) {
            closedBy = lab.nodeStatus(1).map(NodeStatus::revocations).map(NodeStatus.RevocationStats::revokedPeersClosed).orElse(0L);
            Thread.sleep(250);
        }
        assertTrue(closedBy >= 1, "site 1 closed site 2's session because of the revocation: " + lab.nodeStatus(1)
                .map(NodeStatus::revocations).orElse(null));

        X509CRL crl = crl();
        crl.verify(ca.certificate().getPublicKey());
        assertTrue(crl.isRevoked(cert.certificate()), "the revoked member's certificate is in the CRL");
        // Site 1 closed the link: three of its CRL intervals after its last report naming site 2,
        // site 2 is offline from the ring's view.
        String offline = onlineCell("site2", "offline since", Duration.ofSeconds(20));
        assertTrue(offline.startsWith("offline since"), "the revoked site is offline from the ring's view: " + offline);
    }

    /** The members page's online cell of {@code site}, reloaded until it starts with {@code expected} or {@code within} ends. */
    private String onlineCell(String site, String expected, Duration within) throws InterruptedException {
        long until = System.nanoTime() + within.toNanos();
        String text;
        do {
            browser.get(server.url() + "/admin");
            text = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("online-" + site))).getText();
            if (text.startsWith(expected)) {
                return text;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < until);
        return text;
    }

    private long renewals() {
        return lab.nodeStatus(2).map(NodeStatus::certificate).map(NodeStatus.CertificateStatus::renewals).orElse(0L);
    }

    /** The CRL, fetched over TLS that trusts the server's certificate and nothing else. */
    private X509CRL crl() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", serverCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        byte[] der = HttpClient.newBuilder().sslContext(ctx).build()
                .send(HttpRequest.newBuilder(URI.create(server.url() + "/crl")).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
    }
}
