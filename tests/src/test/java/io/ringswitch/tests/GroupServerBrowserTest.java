package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.group.EnrolmentClient;
import io.ringswitch.overlay.group.GroupServer;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The group server's whole path as people take it, in Debian's headless Chromium: a site asks
 * to join, the administrator logs in and approves, the token is taken from the page, the node
 * enrols ({@code ringswitch enrol}'s code, in this process), and the administrator revokes it on
 * the page; the member is then marked revoked and is in the CA-signed CRL. Screenshots of the
 * join page, the members and the revoked member go to {@code target/screenshots} (the README's
 * copies are in {@code docs/group-server/}).
 *
 * <p>Chromium trusts the server's self-signed certificate only by its key's SHA-256
 * ({@code --ignore-certificate-errors-spki-list}), the browser's form of the pin that enrol uses.
 */
class GroupServerBrowserTest {
    private static final String PASSWORD = "an administrator's long password";
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path tmp;
    GroupServer server;
    GroupCa ca;
    WebDriver browser;

    @BeforeEach
    void start() throws Exception {
        ca = GroupCa.create("browsergroup", Instant.now(), Duration.ofDays(30));
        ca.save(tmp.resolve("ca"));
        server = GroupServer.start(new GroupServer.Settings(tmp.resolve("server"), new InetSocketAddress("127.0.0.1", 0),
                tmp.resolve("ca"), List.of("10.99.0.1:5800"), Duration.ofDays(3)), PASSWORD, Clock.systemUTC());
        X509Certificate tls = serverCertificate();
        String spki = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(tls.getPublicKey().getEncoded()));
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--window-size=1100,900",
                "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")),
                "--ignore-certificate-errors-spki-list=" + spki);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private X509Certificate serverCertificate() throws Exception {
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

    @Test
    void askApproveEnrolRevoke() throws Exception {
        browser.get(server.url() + "/");
        browser.findElement(By.id("site")).sendKeys("lakeside");
        browser.findElement(By.id("contact")).sendKeys("noc@lakeside.example");
        shot("join-page");
        browser.findElement(By.id("ask")).click();
        waiting().until(ExpectedConditions.textToBe(By.id("state"), "pending"));
        String statusPage = browser.getCurrentUrl();

        browser.get(server.url() + "/admin");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.id("login")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("approve-lakeside"))).click();
        String token = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("token-lakeside"))).getText();

        browser.get(statusPage);
        waiting().until(ExpectedConditions.textToBe(By.id("state"), "approved"));
        assertEquals(token, browser.findElement(By.id("token")).getText(), "the requester sees the token the administrator sees");

        Path out = tmp.resolve("lakeside");
        EnrolmentClient.Result enrolled = EnrolmentClient.enrol(new EnrolmentClient.Options(server.url(), token, out,
                "0.0.0.0:5800", "br0", "rs0"));
        NodeCertificate cert = NodeCertificate.verify(enrolled.identity().certificate().certificate(), ca.certificate(), Instant.now());
        assertEquals("lakeside", cert.name());
        assertTrue(cert.notAfter().isBefore(Instant.now().plus(Duration.ofDays(3)).plusSeconds(5)), "a short-lived certificate");
        NodeConfig config = NodeConfig.load(enrolled.config());
        assertEquals(List.of("10.99.0.1:5800"), config.bootstrap());
        assertEquals(out.resolve("node.key").toAbsolutePath().toString(), config.identity().key());

        browser.get(server.url() + "/admin");
        String row = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("member-lakeside"))).getText();
        assertTrue(row.contains(cert.address().toString()) && row.contains("active"), row);
        shot("members");
        browser.findElement(By.id("revoke-lakeside")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("member-lakeside"), "revoked"));
        shot("revoked-member");

        X509CRL crl = crl();
        crl.verify(ca.certificate().getPublicKey());
        assertTrue(crl.isRevoked(cert.certificate()), "the revoked member's certificate is in the CRL");
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
