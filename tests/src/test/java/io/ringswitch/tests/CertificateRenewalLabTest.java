package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Ping;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Short-lived certificates in a real lab (issue 19): three sites whose certificates live 60 s (the shortest the lab issues),
 * renewed through the lab's group server (in the underlay namespace), while the host of each site
 * pings the next site's for 85 s. Every node renews at least twice during the pings, no ping is
 * lost, and the pings go on past the end of the certificates the nodes held when they started: the sessions those opened
 * were replaced by handshakes that proved the renewed ones, and no session ended with its
 * certificate unreplaced.
 */
class CertificateRenewalLabTest {
    private static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final LabSpec SPEC = LabSpec.of("renew", 3, 1).withCertLifetime(LIFETIME);
    /**
     * 170 pings at 0.5 s: 85 s. A node renews 34-40 s into each certificate (two thirds of 60 s,
     * less up to a tenth at random). Even a node that renewed just before the pings began renews
     * twice within 80 s of their start, and the certificates held at the start end within 60 s.
     */
    private static final int PINGS = 170;
    private static final double INTERVAL = 0.5;
    private static Lab lab;

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), CertificateRenewalLabTest::log);
        lab = Lab.up(SPEC, Preflight.home(), CertificateRenewalLabTest::log);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), CertificateRenewalLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
        assertTrue(!Path.of("/run/ringswitch", SPEC.name()).toFile().exists(), "run directory left behind");
    }

    private static void log(String line) {
        System.out.println("[lab] " + line);
    }

    private static NodeStatus status(int site) {
        return lab.nodeStatus(site).orElseThrow(() -> new AssertionError("site " + site + " wrote no status"));
    }

    private static CompletableFuture<Ping> pinging(int from, int to) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return lab.ping(from, 1, to, 1, PINGS, INTERVAL);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void everyNodeRenewsTwiceThroughTheGroupServerWhilePingsGoOnWithoutLoss() throws Exception {
        for (int s = 1; s <= SPEC.sites(); s++) {
            lab.ping(s, 1, s % SPEC.sites() + 1, 1, 3, 0.2);
        }
        // What each node holds as the pings start (it may have renewed while the lab came up).
        Instant firstEnd = Instant.MIN;
        long[] before = new long[SPEC.sites() + 1];
        for (int s = 1; s <= SPEC.sites(); s++) {
            NodeStatus.CertificateStatus c = status(s).certificate();
            assertTrue(c.expiresInSeconds() <= LIFETIME.toSeconds(), "a short-lived certificate: " + c);
            before[s] = c.renewals();
            Instant end = Instant.parse(c.notAfter());
            firstEnd = end.isAfter(firstEnd) ? end : firstEnd;
        }
        List<CompletableFuture<Ping>> pings = new ArrayList<>();
        for (int s = 1; s <= SPEC.sites(); s++) {
            pings.add(pinging(s, s % SPEC.sites() + 1));
        }
        List<Ping> done = new ArrayList<>();
        for (CompletableFuture<Ping> p : pings) {
            done.add(p.get());
        }
        Instant pingsEnded = Instant.now();
        assertTrue(pingsEnded.isAfter(firstEnd.plusSeconds(5)),
                "the pings outlast the certificates the nodes held when they started (" + firstEnd + ")");
        for (int s = 1; s <= SPEC.sites(); s++) {
            NodeStatus st = status(s);
            NodeStatus.CertificateStatus c = st.certificate();
            log("site " + s + ": " + (c.renewals() - before[s]) + " renewals during the pings (" + c.renewals() + " in all), " + c.failures() + " failed tries, certificate until "
                    + c.notAfter() + "; " + st.security().handshakes() + " handshakes, refused " + st.security().refused()
                    + "; ping to site " + (s % SPEC.sites() + 1) + ": " + done.get(s - 1));
            assertTrue(c.renewals() - before[s] >= 2, "site " + s + " renewed at least twice during the pings: " + c);
            assertEquals("valid", c.state(), "site " + s + ": " + c);
            assertTrue(Instant.parse(c.notAfter()).isAfter(pingsEnded), "site " + s + " holds a renewed certificate: " + c);
            assertEquals(0L, st.security().refused().getOrDefault("session-certificate-ended", 0L),
                    "site " + s + ": no session ended with its certificate before a handshake replaced it");
            assertEquals(0L, st.security().refused().getOrDefault("record-certificate-ended", 0L), "site " + s);
        }
        for (int s = 1; s <= SPEC.sites(); s++) {
            Ping p = done.get(s - 1);
            assertEquals(PINGS, p.sent(), "site " + s);
            assertTrue(p.lossless(), "site " + s + " -> site " + (s % SPEC.sites() + 1) + " across the renewals: " + p);
        }
    }
}
