package io.ringswitch.topology;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.group.EnrolmentClient;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.LocalFiles;
import io.ringswitch.overlay.security.Pem;
import io.ringswitch.overlay.security.RevocationCodec;
import io.ringswitch.overlay.security.RevocationRecord;
import io.ringswitch.overlay.revocation.RevocationInbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The security demo's revocation section (issue 19), on a lab of four sites and a group server
 * that holds the lab's CA ({@link InProcessGroupServer}), every node fetching its CRL every
 * {@value #CRL_SECONDS} s. Site 4 enrols through the server's pages; the administrator revokes it
 * there while site 1's host pings site 4's every 0.1 s: the time from the revoke to the last
 * answered ping is measured, the nodes learning it from the CRL and the ring broadcast. Then the
 * server is stopped and site 3 is revoked with {@code ringswitch revoke}'s record dropped into site
 * 1's state directory, while site 2's host pings site 3's: the same time, the news carried by the
 * ring alone. Meanwhile the other sites' hosts ping each other and must lose nothing. Last, site 4's
 * node restarts with its revoked certificate and is watched for {@link #RESTART_WATCH}: it must
 * never link, and the honest nodes count its handshakes refused as {@code revoked}.
 */
public final class RevocationTour {
    /** How often the lab's nodes fetch the CRL. */
    static final int CRL_SECONDS = 2;
    /** The target the issue sets, reported beside each time. */
    static final long TARGET_MS = 10_000;
    /** How long a revoked host's pings are watched for an answer after the revoke, at most. */
    private static final Duration ANSWERED_LIMIT = Duration.ofSeconds(30);
    /** Pings unanswered this long after the revoke count as stopped. */
    private static final Duration QUIET = Duration.ofSeconds(4);
    private static final Duration RESTART_WATCH = Duration.ofSeconds(20);
    private static final String PASSWORD = "the lab administrator's password";

    /**
     * One revocation and what it did.
     *
     * @param site                   the revoked site
     * @param how                    how it was revoked
     * @param watcher                the site whose host pinged the revoked site's host (every 0.1 s)
     * @param revokeToLastReplyMs    from the revoke to that ping's last answer; null when the pings never stopped
     * @param targetMs               the issue's target
     * @param repliesAfterRevoke     answers that came after the revoke
     * @param others                 the other pairs that pinged each other meanwhile (every 0.2 s)
     * @param othersSent             their pings up to their last answer
     * @param othersLost             of those, unanswered
     * @param revokedPeersClosed     sessions the honest nodes closed because of a revocation, summed, after this case
     */
    @JsonPropertyOrder({"ok", "problems"})
    public record Revoked(boolean ok, List<String> problems, int site, String how, int watcher, Long revokeToLastReplyMs,
                          long targetMs, long repliesAfterRevoke, List<String> others, int othersSent, int othersLost,
                          long revokedPeersClosed) {
    }

    /**
     * The revoked node restarted with its old certificate.
     *
     * @param site              the site
     * @param watchedSeconds    how long it was watched
     * @param up                whether its node ran (it should, and keep trying)
     * @param restartedLinked   whether any honest node showed a link to it meanwhile
     * @param refusedRevoked    handshakes the honest nodes refused as {@code revoked} meanwhile
     */
    @JsonPropertyOrder({"ok", "problems"})
    public record Restarted(boolean ok, List<String> problems, int site, long watchedSeconds, boolean up,
                            boolean restartedLinked, long refusedRevoked) {
    }

    /**
     * What the section saw.
     *
     * @param ok            every case passed
     * @param sites         the lab's sites
     * @param crlSeconds    how often the nodes fetched the CRL
     * @param serverUp      revoked on the group server's page, the server reachable
     * @param serverDown    revoked with {@code ringswitch revoke} into one node's state, the server stopped
     * @param restarted     the first revoked node restarted with its old certificate
     * @param problems      why it failed, when it did
     */
    @JsonPropertyOrder({"ok", "problems"})
    public record Report(boolean ok, List<String> problems, int sites, int crlSeconds, Revoked serverUp, Revoked serverDown,
                         Restarted restarted) {
    }

    private RevocationTour() {
    }

    /** The section's lab: four valid sites. */
    public static LabSpec spec(String name) {
        return LabSpec.of(name, 4, 1);
    }

    /**
     * Brings up the section's lab {@code name}, runs it, takes the lab down (unless {@code keep})
     * and adds the section to {@code report}.
     */
    public static SecurityTour.Report addTo(SecurityTour.Report report, String name, Path home, boolean keep,
                                            Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = spec(name);
        progress.accept("revocation: bringing up " + spec.sites() + " valid sites and a group server holding their CA");
        Lab lab = Lab.up(spec, home, progress);
        Report section;
        List<String> next = new ArrayList<>();
        try {
            section = run(lab, progress);
            if (!section.ok()) {
                next.add("revocation: " + String.join("; ", section.problems()) + ": read the sites' node.log for "
                        + "'revoked' (overlay-node revocation/, NodeRevocations); the lab's logs are kept in " + lab.saveLogs());
            }
        } finally {
            if (!keep) {
                lab.down();
            }
        }
        return report.withRevocation(section, next);
    }

    /** Runs the section on {@code lab} (up, {@link #spec}); the group server it starts is gone when it returns. */
    public static Report run(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        try (InProcessGroupServer server = InProcessGroupServer.start(lab, PASSWORD, progress)) {
            GroupAdminClient admin = new GroupAdminClient(server.url(), server.tlsCertificate());
            admin.login(PASSWORD);
            enrol(lab, server, admin, 4, progress);
            for (int s = 1; s <= lab.spec().sites(); s++) {
                lab.addConfig(s, server.revocationConfig(CRL_SECONDS));
                lab.stopNode(s, false);
            }
            for (int s = 1; s <= lab.spec().sites(); s++) {
                lab.startNode(s);
            }
            progress.accept("nodes restarted with revocation: {server: " + server.url() + ", intervalSeconds: " + CRL_SECONDS + "}");
            lab.awaitReady(Duration.ofSeconds(90));
            awaitCrls(lab, List.of(1, 2, 3, 4), progress);

            Revoked up = revoke(lab, 4, 1, List.of(new int[] {1, 2}, new int[] {2, 3}, new int[] {3, 1}),
                    "on the group server's page (nodes fetch the CRL, then the ring spreads it)", () -> admin.revoke("site4"),
                    progress);
            server.stop();
            Revoked down = revoke(lab, 3, 2, List.of(new int[] {1, 2}, new int[] {2, 1}),
                    "ringswitch revoke into site 1's state directory, the group server stopped (the ring spreads it)",
                    () -> revokeInto(lab, 3, 1), progress);
            Restarted restarted = restart(lab, 4, List.of(1, 2), progress);
            List<String> problems = new ArrayList<>();
            up.problems().forEach(p -> problems.add("server up: " + p));
            down.problems().forEach(p -> problems.add("server down: " + p));
            restarted.problems().forEach(p -> problems.add("restarted: " + p));
            return new Report(problems.isEmpty(), List.copyOf(problems), lab.spec().sites(), CRL_SECONDS, up, down, restarted);
        }
    }

    /** Site {@code site} asks to join, the administrator approves, it enrols and restarts with the enrolled key. */
    private static void enrol(Lab lab, InProcessGroupServer server, GroupAdminClient admin, int site, Consumer<String> progress)
            throws IOException, InterruptedException {
        String name = "site" + site;
        admin.ask(name, "noc@" + name + ".example");
        String token = admin.approve(name);
        Path out = lab.runDir().resolve("enrolled-" + name);
        EnrolmentClient.enrol(new EnrolmentClient.Options(server.url(), token, out, "0.0.0.0:" + Lab.NODE_PORT, "br0", "rs0"));
        for (String file : new String[] {"node.key", "node.crt"}) {
            Files.copy(out.resolve(file), lab.siteDir(site).resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        progress.accept(name + " asked to join, was approved and enrolled through the group server");
    }

    private static void awaitCrls(Lab lab, List<Integer> sites, Consumer<String> progress) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (sites.stream().allMatch(s -> revocations(lab, s).map(NodeStatus.RevocationStats::crlsFetched).orElse(0L) > 0)) {
                progress.accept("every node fetched the group's CRL");
                return;
            }
            Thread.sleep(250);
        }
        progress.accept("not every node fetched the CRL within 20 s; going on");
    }

    /** What revokes: the page's button, or a record in a node's state directory. */
    private interface Revocation {
        void revoke() throws IOException, InterruptedException;
    }

    private static Revoked revoke(Lab lab, int site, int watcher, List<int[]> pairs, String how, Revocation revocation,
                                  Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<String> problems = new ArrayList<>();
        List<PingStream> others = new ArrayList<>();
        PingStream watched = PingStream.start(spec, watcher, site, 0.1);
        long revokedAt = -1;
        try {
            for (int[] p : pairs) {
                others.add(PingStream.start(spec, p[0], p[1], 0.2));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while ((watched.received() < 10 || others.stream().anyMatch(o -> o.received() < 5)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (watched.received() == 0) {
                problems.add("site " + watcher + "'s host got no answer from site " + site + "'s before the revoke");
            }
            // The clock starts as the revoke starts: the page's answer may come after the nodes acted on it.
            revokedAt = System.currentTimeMillis();
            revocation.revoke();
            progress.accept("revoked site " + site + " " + how + " (" + (System.currentTimeMillis() - revokedAt) + " ms to revoke; "
                    + watched.received() + " answers before)");
            long limit = revokedAt + ANSWERED_LIMIT.toMillis();
            while (System.currentTimeMillis() < limit
                    && System.currentTimeMillis() - Math.max(revokedAt, watched.lastReplyMillis()) < QUIET.toMillis()) {
                Thread.sleep(100);
            }
            for (PingStream o : others) {
                long seen = o.received();
                long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                while (o.received() < seen + 3 && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
            }
        } finally {
            watched.close();
            for (PingStream o : others) {
                o.close();
            }
        }
        long last = watched.lastReplyMillis();
        boolean stopped = System.currentTimeMillis() - last >= QUIET.toMillis();
        Long toLast = !stopped || last < 0 ? null : Math.max(0, last - revokedAt);
        if (!stopped) {
            problems.add("site " + site + "'s host still answered " + ANSWERED_LIMIT.toSeconds() + " s after the revoke");
        }
        int sent = 0;
        int lost = 0;
        List<String> names = new ArrayList<>();
        for (PingStream o : others) {
            names.add(o.pair());
            sent += o.sentUpToLastReply();
            lost += o.lostBetweenReplies();
            if (o.received() == 0) {
                problems.add(o.pair() + ": no answer at all");
            } else if (o.lostBetweenReplies() > 0) {
                problems.add(o.pair() + ": " + o.lostBetweenReplies() + " of " + o.sentUpToLastReply() + " pings lost");
            }
        }
        long closed = 0;
        for (int s = 1; s <= spec.sites(); s++) {
            if (s != site) {
                closed += revocations(lab, s).map(NodeStatus.RevocationStats::revokedPeersClosed).orElse(0L);
            }
        }
        progress.accept(String.format("site %d revoked: last answered ping %s ms after the revoke (target %d); others %d/%d lost",
                site, toLast, TARGET_MS, lost, sent));
        return new Revoked(problems.isEmpty(), List.copyOf(problems), site, how, watcher, toLast, TARGET_MS,
                revokedAt < 0 ? 0 : watched.repliesSince(revokedAt), List.copyOf(names), sent, lost, closed);
    }

    /** {@code ringswitch revoke --ca CA --cert SITE/node.crt --state STATE}, with STATE the state directory of {@code into}. */
    private static void revokeInto(Lab lab, int site, int into) throws IOException {
        GroupCa ca = GroupCa.load(lab.runDir().resolve("ca"), Instant.now());
        X509Certificate cert = Pem.readCertificate(lab.siteDir(site).resolve("node.crt"));
        RevocationRecord record;
        try {
            record = RevocationRecord.issue(ca, cert, System.currentTimeMillis());
        } catch (io.ringswitch.overlay.security.NodeCertificate.CertificateRejected e) {
            throw new IOException("site " + site + "'s certificate: " + e.getMessage(), e);
        }
        Path inbox = Files.createDirectories(lab.siteDir(into).resolve(RevocationInbox.DIRECTORY));
        LocalFiles.write(inbox.resolve(record.serial().toString(16) + RevocationInbox.SUFFIX),
                RevocationCodec.encodeList(List.of(record)), LocalFiles.GROUP_READABLE);
    }

    private static Restarted restart(Lab lab, int site, List<Integer> honest, Consumer<String> progress)
            throws IOException, InterruptedException {
        String address = lab.nodeStatus(site).map(NodeStatus::address).orElse("");
        long before = refusedRevoked(lab, honest);
        lab.stopNode(site, true);
        lab.startNode(site);
        List<String> problems = new ArrayList<>();
        long started = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!lab.health(site).up() && System.nanoTime() < started) {
            Thread.sleep(250);
        }
        progress.accept("site " + site + "'s node restarted with its revoked certificate" + (lab.health(site).up() ? "" : " (no status yet)")
                + "; watching it for " + RESTART_WATCH.toSeconds() + " s");
        boolean linked = false;
        long end = System.nanoTime() + RESTART_WATCH.toNanos();
        while (System.nanoTime() < end) {
            for (int h : honest) {
                Optional<NodeStatus> st = lab.nodeStatus(h);
                if (st.isPresent() && st.get().links().stream().anyMatch(l -> l.address().equals(address))) {
                    if (!linked) {
                        problems.add("site " + h + " shows a link to the revoked site " + site);
                    }
                    linked = true;
                }
            }
            Thread.sleep(500);
        }
        long refused = refusedRevoked(lab, honest) - before;
        boolean up = lab.health(site).up();
        if (refused <= 0) {
            problems.add("no honest node counted a handshake refused as revoked");
        }
        if (!up) {
            problems.add("site " + site + "'s node is not running: " + lab.health(site).why());
        }
        progress.accept("restarted site " + site + ": linked " + linked + ", handshakes refused as revoked " + refused);
        return new Restarted(problems.isEmpty(), List.copyOf(problems), site, RESTART_WATCH.toSeconds(), up, linked, refused);
    }

    private static long refusedRevoked(Lab lab, List<Integer> sites) {
        long n = 0;
        for (int s : sites) {
            n += lab.nodeStatus(s).map(NodeStatus::security).map(sec -> sec.refused() == null ? 0L
                    : sec.refused().getOrDefault("revoked", 0L)).orElse(0L);
        }
        return n;
    }

    private static Optional<NodeStatus.RevocationStats> revocations(Lab lab, int site) {
        return lab.nodeStatus(site).map(NodeStatus::revocations);
    }
}
