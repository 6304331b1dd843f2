package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeIdentity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ring reports through the real server over HTTPS: a member's signed report of its live peers puts
 * them online on the members page; a report forged for another member, a revoked member's report,
 * a replayed one and a stale one are refused, counted, and change nothing on the page.
 */
class RingReportServerTest {
    @TempDir
    Path tmp;
    TestClock clock = new TestClock();
    GroupServer server;
    TestBrowser admin;
    NodeIdentity a;
    NodeIdentity b;
    NodeIdentity c;

    @BeforeEach
    void start() throws Exception {
        GroupCa ca = GroupCa.create("testgroup", clock.instant(), Duration.ofDays(30));
        ca.save(tmp.resolve("ca"));
        server = GroupServer.start(new GroupServer.Settings(tmp.resolve("server"), new InetSocketAddress("127.0.0.1", 0),
                tmp.resolve("ca"), List.of("192.0.2.1:5800"), Duration.ofMinutes(10)), GroupServerTest.PASSWORD, clock);
        admin = new TestBrowser(server);
        assertEquals(303, admin.login(GroupServerTest.PASSWORD));
        a = enrol("a");
        b = enrol("b");
        c = enrol("c");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    NodeIdentity enrol(String site) throws Exception {
        String id = new TestBrowser(server).ask(site);
        assertEquals(200, admin.post("/admin/approve", TestBrowser.form("csrf", admin.csrf(), "id", id)).statusCode());
        Matcher m = Pattern.compile("id=\"token-" + site + "\">([^<]+)</code>").matcher(admin.get("/admin").body());
        assertTrue(m.find(), "the approved token is on the page");
        return EnrolmentClient.enrol(new EnrolmentClient.Options(server.url(), m.group(1), tmp.resolve(site), "0.0.0.0:5800",
                "br0", "rs0")).identity();
    }

    /** The members page's online cell of {@code site}. */
    String online(String site) throws Exception {
        Matcher m = Pattern.compile("id=\"online-" + site + "\">([^<]*)</td>").matcher(admin.get("/admin").body());
        assertTrue(m.find(), "the members page has the online column for " + site);
        return m.group(1);
    }

    static RingAddress address(NodeIdentity n) {
        return n.certificate().address();
    }

    void post(GroupApi.RingReport report) throws IOException {
        new GroupClient(server.url(), server.tlsSha256()).post("/api/report", report, GroupApi.ReportAck.class);
    }

    long refused(String reason) {
        return server.refusals().getOrDefault(reason, 0L);
    }

    @Test
    void aMembersReportPutsItsLivePeersOnlineAndThenTheyGoOffline() throws Exception {
        assertEquals("never", online("b"));
        new RingReporter(server.url(), server.tlsSha256(), 2).report(a, List.of(address(b)), clock.instant());
        assertTrue(online("b").startsWith("online (seen live by 1 member at "), online("b"));
        assertEquals("never", online("a"), "a's own report does not make a online");
        assertEquals("never", online("c"));
        clock.advance(Duration.ofSeconds(7));
        assertTrue(online("b").startsWith("offline since "), "three 2 s intervals later: " + online("b"));
    }

    /** As a node does it: the report after each scheduled CRL fetch, on the fetch's thread. */
    @Test
    void aReportAfterEachCrlFetchKeepsThePeerOnline() throws Exception {
        io.ringswitch.overlay.security.Revocations revocations = new io.ringswitch.overlay.security.Revocations(
                GroupCa.load(tmp.resolve("ca"), clock.instant()).certificate(), null);
        RingReporter reporter = new RingReporter(server.url(), server.tlsSha256(), 1);
        java.util.concurrent.atomic.AtomicLong reports = new java.util.concurrent.atomic.AtomicLong();
        try (io.ringswitch.overlay.revocation.CrlFetcher fetcher = new io.ringswitch.overlay.revocation.CrlFetcher(
                new CrlSource(server.url(), server.tlsSha256())::fetch, revocations.caCertificate(), revocations, clock)) {
            fetcher.afterEachFetch(() -> {
                try {
                    reporter.report(c, List.of(address(b)), clock.instant().plusMillis(reports.incrementAndGet()));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            fetcher.start(100);
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((fetcher.fetched() < 3 || reports.get() < 3) && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(fetcher.fetched() >= 3 && reports.get() >= 3, "fetched " + fetcher.fetched() + ", reported " + reports);
        }
        assertTrue(online("b").startsWith("online (seen live by 1 member"), online("b"));
        assertEquals(0, server.refusals().keySet().stream().filter(k -> k.startsWith("report")).count(), server.refusals().toString());
    }

    @Test
    void aReportForgedForAnotherMemberIsRefused() throws Exception {
        // b wants c shown online by a's word: a's certificate and address, b's signature.
        GroupApi.RingReport own = RingReporter.sign(b, List.of(address(c)), clock.instant(), 2);
        GroupApi.RingReport forged = new GroupApi.RingReport(RingReporter.sign(a, List.of(), clock.instant(), 2).certificate(),
                own.group(), address(a).toString(), own.timestamp(), own.intervalSeconds(), own.peers(), own.signature());
        assertThrows(IOException.class, () -> post(forged));
        assertEquals(1, refused("report-signature"));
        // The same with a's genuine signature over other peers: the peers are under the signature.
        GroupApi.RingReport genuine = RingReporter.sign(a, List.of(), clock.instant(), 2);
        GroupApi.RingReport altered = new GroupApi.RingReport(genuine.certificate(), genuine.group(), genuine.address(),
                genuine.timestamp(), genuine.intervalSeconds(), List.of(address(c).toString()), genuine.signature());
        assertThrows(IOException.class, () -> post(altered));
        assertEquals(2, refused("report-signature"));
        assertEquals("never", online("c"), "nobody's report named c");
    }

    @Test
    void aRevokedMembersReportIsRefused() throws Exception {
        String before = lastSeen("a");
        assertEquals(200, admin.post("/admin/revoke", TestBrowser.form("csrf", admin.csrf(), "name", "a")).statusCode());
        clock.advance(Duration.ofSeconds(1));
        assertThrows(IOException.class, () -> new RingReporter(server.url(), server.tlsSha256(), 2)
                .report(a, List.of(address(b)), clock.instant()));
        assertEquals(1, refused("report-revoked"));
        assertEquals("never", online("b"));
        assertEquals(before, lastSeen("a"), "the refused report does not move a's last seen");
    }

    @Test
    void aReplayedOrStaleReportIsRefused() throws Exception {
        GroupApi.RingReport first = RingReporter.sign(a, List.of(address(b)), clock.instant(), 2);
        post(first);
        clock.advance(Duration.ofSeconds(7));
        assertTrue(online("b").startsWith("offline since "), online("b"));
        assertThrows(IOException.class, () -> post(first));
        assertEquals(1, refused("report-replayed"));
        assertTrue(online("b").startsWith("offline since "), "the replay did not bring b back: " + online("b"));

        GroupApi.RingReport old = RingReporter.sign(c, List.of(address(b)), clock.instant(), 2);
        clock.advance(RingReports.MAX_AGE.plusSeconds(1));
        assertThrows(IOException.class, () -> post(old));
        assertEquals(1, refused("report-stale"));
        assertTrue(online("b").startsWith("offline since "), "the stale report did not bring b back: " + online("b"));
    }

    /** The members page's last-seen cell of {@code site}. */
    String lastSeen(String site) throws Exception {
        Matcher m = Pattern.compile("id=\"member-" + site + "\"><td>[^<]*</td><td><code>[^<]*</code></td><td>[^<]*</td><td>([^<]*)</td>")
                .matcher(admin.get("/admin").body());
        assertTrue(m.find(), "the members page has " + site);
        return m.group(1);
    }
}
