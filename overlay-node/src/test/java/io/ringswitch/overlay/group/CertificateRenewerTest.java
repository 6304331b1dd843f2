package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renewal schedule of a node's certificate on virtual time (a test clock and a scheduler that
 * runs its tasks as the test moves the clock): renewed before two thirds of each certificate's
 * life, with jitter, retried with a growing wait when the group server is down, working and saying
 * so until the expiry, and reporting the expiry at a bounded rate.
 */
class CertificateRenewerTest {
    private static final Duration LIFE = Duration.ofDays(4);

    @TempDir
    Path tmp;
    private TestClock clock;
    private VirtualScheduler scheduler;
    private GroupCa ca;
    private NodeIdentity first;
    private FakeServer server;

    /** Tasks at virtual times, run in order as the clock is moved. */
    private final class VirtualScheduler implements Scheduler {
        private record Task(Instant at, long seq, Runnable work) {
        }

        private final PriorityQueue<Task> tasks = new PriorityQueue<>(
                Comparator.comparing(Task::at).thenComparingLong(Task::seq));
        private long seq;

        @Override
        public long nowMillis() {
            return clock.instant().toEpochMilli();
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            Task t = new Task(clock.instant().plusMillis(delayMillis), seq++, task);
            tasks.add(t);
            return () -> tasks.remove(t);
        }

        /** Moves the clock to {@code until}, running every task due on the way at its time. */
        void runUntil(Instant until) {
            while (!tasks.isEmpty() && !tasks.peek().at().isAfter(until)) {
                Task t = tasks.poll();
                clock.advance(Duration.between(clock.instant(), t.at()));
                t.work().run();
            }
            clock.advance(Duration.between(clock.instant(), until));
        }
    }

    /** The group server: renews for {@link #LIFE} when up, fails like a refused connection when down. */
    private final class FakeServer implements CertificateRenewer.Client {
        volatile boolean up = true;
        final List<Instant> calls = new ArrayList<>();

        @Override
        public X509Certificate renew(NodeIdentity identity) throws IOException {
            calls.add(clock.instant());
            if (!up) {
                throw new IOException("Connection refused");
            }
            return ca.renew(identity.certificate().certificate(), clock.instant(), LIFE);
        }

        @Override
        public String server() {
            return "https://192.0.2.7:8443";
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        clock = new TestClock();
        scheduler = new VirtualScheduler();
        ca = GroupCa.create("g", clock.instant().minus(Duration.ofDays(1)), Duration.ofDays(365));
        KeyPair key = GroupCa.newKeyPair();
        first = new NodeIdentity(key.getPrivate(), NodeCertificate.verify(ca.issue("site1", key.getPublic(), Optional.empty(),
                clock.instant(), LIFE), ca.certificate(), clock.instant()), ca.certificate());
        server = new FakeServer();
    }

    private CertificateRenewer renewer(double u, List<NodeIdentity> handedOver) {
        return new CertificateRenewer(first, server, tmp.resolve("node.crt"), scheduler, Runnable::run, handedOver::add,
                clock, () -> u);
    }

    private static Duration life(NodeIdentity id) {
        X509Certificate c = id.certificate().certificate();
        return Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    }

    private static Instant twoThirds(NodeIdentity id) {
        X509Certificate c = id.certificate().certificate();
        return c.getNotBefore().toInstant().plus(life(id).multipliedBy(2).dividedBy(3));
    }

    @Test
    void theFirstTryComesBeforeTwoThirdsOfTheLifeByAtMostATenthOfItAtRandom() {
        Instant notBefore = Instant.parse("2026-01-01T00:00:00Z");
        Instant notAfter = notBefore.plus(Duration.ofDays(3));
        assertEquals(notBefore.plus(Duration.ofDays(2)), RenewalSchedule.due(notBefore, notAfter, 0));
        assertEquals(notBefore.plus(Duration.ofDays(2)).minus(Duration.ofHours(3).plusMinutes(36)),
                RenewalSchedule.due(notBefore, notAfter, 0.5));
        Instant earliest = RenewalSchedule.due(notBefore, notAfter, 0.999_999);
        assertTrue(earliest.isAfter(notBefore.plus(Duration.ofDays(2)).minus(Duration.ofHours(7).plusMinutes(13))), earliest.toString());
    }

    @Test
    void retriesWaitFiveSecondsThenTwiceAsLongUpToTenMinutesOrAQuarterOfWhatIsLeft() {
        Duration plenty = Duration.ofDays(1);
        List<Long> waits = new ArrayList<>();
        for (int failures = 1; failures <= 10; failures++) {
            waits.add(RenewalSchedule.retry(failures, plenty, 0).toSeconds());
        }
        assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 600L, 600L, 600L), waits);
        assertEquals(Duration.ofSeconds(15), RenewalSchedule.retry(6, Duration.ofSeconds(60), 0), "a quarter of what is left");
        assertEquals(Duration.ofSeconds(5), RenewalSchedule.retry(6, Duration.ofSeconds(8), 0), "never under 5 s");
        assertEquals(Duration.ofMillis(12_500), RenewalSchedule.retry(2, plenty, 1.0), "a quarter longer at most");
    }

    @Test
    void everyCertificateIsRenewedBeforeTwoThirdsOfItsLifeAndHandedOver() throws Exception {
        List<NodeIdentity> handedOver = new ArrayList<>();
        CertificateRenewer renewer = renewer(0.5, handedOver);
        renewer.start();
        List<NodeIdentity> held = new ArrayList<>(List.of(first));
        scheduler.runUntil(clock.instant().plus(Duration.ofDays(12)));
        held.addAll(handedOver);
        assertTrue(handedOver.size() >= 4, "renewed " + handedOver.size() + " times in 12 days");
        for (int i = 0; i < handedOver.size(); i++) {
            Instant renewedAt = server.calls.get(i);
            NodeIdentity before = held.get(i);
            assertTrue(renewedAt.isBefore(twoThirds(before)), "renewal " + i + " at " + renewedAt);
            assertTrue(!renewedAt.isBefore(twoThirds(before).minus(life(before).dividedBy(10))), "renewal " + i + " at " + renewedAt);
            assertEquals(first.certificate().address(), handedOver.get(i).certificate().address());
        }
        assertSame(handedOver.get(handedOver.size() - 1), renewer.identity());
        assertEquals(renewer.identity().certificate().certificate(), Pem.readCertificate(tmp.resolve("node.crt")));
        NodeStatus.CertificateStatus status = renewer.status();
        assertEquals("valid", status.state());
        assertEquals(handedOver.size(), status.renewals());
        assertEquals(renewer.due().toString(), status.nextRenewal());
        assertTrue(status.expiresInSeconds() > Duration.ofDays(1).toSeconds(), status.toString());
    }

    @Test
    void withTheServerDownTheNodeKeepsWorkingSaysSoAtABoundedRateAndReportsTheExpiry() throws Exception {
        List<NodeIdentity> handedOver = new ArrayList<>();
        CertificateRenewer renewer = renewer(0, handedOver);
        renewer.start();
        server.up = false;
        Instant due = renewer.due();
        scheduler.runUntil(due.plus(Duration.ofMinutes(1)));
        // Tries at 0, 5, 15, 35 s and 75 s after the due time: one WARN line in the first minute.
        assertEquals(4, server.calls.size(), server.calls.toString());
        assertEquals(1, renewer.warned());
        NodeStatus.CertificateStatus failing = renewer.status();
        assertEquals("renewal-failing", failing.state());
        assertEquals("Connection refused", failing.lastError());
        assertTrue(Duration.between(due, Instant.parse(failing.failingSince())).abs().toMillis() < 2, failing.failingSince());
        assertTrue(failing.nextRenewal() != null && Instant.parse(failing.nextRenewal()).isAfter(clock.instant()));
        assertTrue(failing.expiresInSeconds() > Duration.ofDays(1).toSeconds(), failing.toString());
        assertSame(first, renewer.identity(), "the node keeps its certificate and works on");

        Instant notAfter = first.certificate().notAfter();
        Duration failingFor = Duration.between(due, notAfter.minusSeconds(1));
        scheduler.runUntil(notAfter.minusSeconds(1));
        assertEquals("renewal-failing", renewer.status().state());
        assertTrue(renewer.warned() <= failingFor.toMinutes() + 1, renewer.warned() + " WARN lines in " + failingFor);
        assertTrue(server.calls.size() <= failingFor.toMinutes() / 10 + 40, server.calls.size() + " tries in " + failingFor);
        assertTrue(server.calls.get(server.calls.size() - 1).isAfter(notAfter.minus(Duration.ofMinutes(11))),
                "still trying near the end");

        int tries = server.calls.size();
        scheduler.runUntil(notAfter.plus(Duration.ofMinutes(35)));
        NodeStatus.CertificateStatus expired = renewer.status();
        assertEquals("expired", expired.state());
        assertEquals(0, expired.expiresInSeconds());
        assertNull(expired.nextRenewal());
        assertTrue(server.calls.size() <= tries + 1, "no tries after the expiry: " + (server.calls.size() - tries));
        assertEquals(4, renewer.expiryReports(), "at the expiry and every 10 minutes after");
        assertTrue(handedOver.isEmpty());
    }

    @Test
    void aServerBackBeforeTheExpiryRenewsAndTheFailuresEnd() throws Exception {
        List<NodeIdentity> handedOver = new ArrayList<>();
        CertificateRenewer renewer = renewer(0, handedOver);
        renewer.start();
        server.up = false;
        scheduler.runUntil(renewer.due().plus(Duration.ofSeconds(20)));
        assertEquals(3, renewer.status().failures());
        server.up = true;
        scheduler.runUntil(clock.instant().plus(Duration.ofSeconds(30)));
        NodeStatus.CertificateStatus status = renewer.status();
        assertEquals("valid", status.state());
        assertEquals(1, status.renewals());
        assertEquals(3, status.failures());
        assertNull(status.failingSince());
        Instant renewedAt = clock.instant().minusSeconds(30).plusSeconds(15);
        assertTrue(Duration.between(renewedAt, Instant.parse(status.lastRenewed())).abs().toMillis() < 2, status.lastRenewed());
        assertEquals(1, handedOver.size());
    }
}
