package io.ringswitch.topology;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The security demo's insider section (issue 18): what a member holding a valid certificate can
 * do to another member. One case runs in a lab of its own ({@link #spec}: six valid sites, no
 * shortcuts, so that the two sites opposite on the ring have no link and their frames are routed
 * through the others), with every node's payload-recording test hook on ({@link Lab#upRecordingPayloads}):
 * while the two sites exchange a ping with a known pattern and a short iperf3 run, the nodes
 * between them record every routed payload they forward or take in and every frame they open,
 * and the tour searches those records. The other cases need an attacker node that the lab does
 * not have; the report names the unit tests that run each attack, and says so
 * ({@code shown_in_lab: false}).
 */
public final class InsiderTour {
    /** How long iperf3 runs between the two sites (after the pings). */
    private static final int IPERF_SECONDS = 2;
    /** How long the two opposite sites get to lose the links of joining before the exchange. */
    private static final Duration UNLINKED_WITHIN = Duration.ofSeconds(20);

    /** One case of the insider section. */
    public sealed interface Case permits RoutedPayloads, ProvenElsewhere {
        /** What the attacker got: {@code refused}, {@code not opened}, or what went wrong. */
        @JsonProperty
        String result();

        /** Whether this demo's lab showed it (else a unit test does, named in {@code proven_by}). */
        @JsonProperty
        boolean shownInLab();
    }

    /**
     * An intermediate node reads the frames it routes for two other sites, shown in the lab.
     *
     * @param ok                     the case showed what it must: frames routed through the others, none opened there
     * @param problems               why not, one line each
     * @param siteA                  one site of the pair (first on the ring)
     * @param siteB                  the other, opposite on the ring
     * @param intermediates          the other sites, each recording what it could open
     * @param pattern                the ping's pattern ({@code ping -p}), searched for in every record
     * @param marker                 iperf3's repeating payload, searched for too
     * @param pingsSent              pings with the pattern from A's host to B's
     * @param pingsReceived          replies
     * @param iperfMbps              the iperf3 run after the pings
     * @param forwardedForPair       routed messages between A and B that the intermediates forwarded (from their records)
     * @param forwardedBySite        the same, per intermediate site
     * @param relayedDelta           the intermediates' ring counter {@code relayed} over the exchange
     * @param openedByIntermediate   entries in the intermediates' records holding the pattern or the marker
     * @param routedFramesWithPattern the control: frames A and B opened from their session over the ring holding the pattern
     * @param linkedAtEnd            whether A and B had a link of their own by the end (the on-demand link)
     * @param provenBy               unit tests of the same attack
     */
    @JsonPropertyOrder({"ok", "result", "shown_in_lab", "opened_by_intermediate", "forwarded_for_pair", "problems"})
    public record RoutedPayloads(boolean ok, List<String> problems, int siteA, int siteB, List<Integer> intermediates,
                                 String pattern, String marker, int pingsSent, int pingsReceived, double iperfMbps,
                                 long forwardedForPair, Map<String, Long> forwardedBySite, long relayedDelta,
                                 long openedByIntermediate, long routedFramesWithPattern, boolean linkedAtEnd,
                                 List<String> provenBy) implements Case {
        @Override
        @JsonProperty
        public String result() {
            return ok ? "not opened" : openedByIntermediate > 0 ? "OPENED" : "not shown";
        }

        @Override
        @JsonProperty
        public boolean shownInLab() {
            return true;
        }
    }

    /**
     * An attack that needs an attacker node the lab does not have: what stops it and the unit
     * tests that try it (each fails without the check).
     *
     * @param result    what the tests assert the attacker gets
     * @param mechanism what stops it
     * @param counter   the counter that moves when it is tried (status field)
     * @param provenBy  the unit tests, {@code unit test overlay-node Class#method}
     */
    @JsonPropertyOrder({"result", "shown_in_lab", "proven_by"})
    public record ProvenElsewhere(String result, String mechanism, String counter, List<String> provenBy) implements Case {
        @Override
        @JsonProperty
        public boolean shownInLab() {
            return false;
        }
    }

    /**
     * The insider section.
     *
     * @param ok    the case run in the lab passed (the others are not run here)
     * @param lab   what the lab was
     * @param cases by attack
     */
    public record Report(boolean ok, String lab, Map<String, Case> cases) {
    }

    private InsiderTour() {
    }

    /** Six valid sites without shortcuts: each node links to its two near neighbours on each side only. */
    public static LabSpec spec(String name) {
        return LabSpec.of(name, 6, 1).withShortcuts(0);
    }

    /**
     * Brings up the insider lab {@code name} ({@link #spec}, recording payloads), runs the tour,
     * adds it to {@code report} and removes the lab (unless {@code keep}), also when the tour fails;
     * the lab's logs are kept when its case failed. One lab at a time: call it after the security
     * lab is down.
     */
    public static SecurityTour.Report addTo(SecurityTour.Report report, String name, java.nio.file.Path home, boolean keep,
                                            Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = spec(name);
        progress.accept("insider: bringing up " + spec.sites() + " valid sites without shortcuts, every node recording "
                + "what it can open of the ring's routing (test hook)");
        Lab lab = Lab.upRecordingPayloads(spec, home, progress);
        Report insider;
        List<String> next = new ArrayList<>();
        try {
            insider = run(lab, progress);
            if (!insider.ok()) {
                RoutedPayloads routed = (RoutedPayloads) insider.cases().get("read-routed-frames");
                next.add(routed.openedByIntermediate() > 0
                        ? "a node on the route opened frames of two other sites: routed frames must ride their end-to-end "
                        + "session (overlay-node secure/RoutedPaths, payload SEALED)"
                        : "the insider case showed nothing (" + String.join("; ", routed.problems()) + "): read the "
                        + "sites' node.log; the pair may have linked before the first ping");
                next.add("the insider lab's logs and payload records are kept in " + lab.saveLogs());
            }
        } finally {
            if (!keep) {
                lab.down();
            }
        }
        return report.withInsider(insider, next);
    }

    /** Runs the lab case against {@code lab}, which came up {@link Lab#upRecordingPayloads recording}, and lists the others. */
    public static Report run(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        Map<String, Case> cases = new LinkedHashMap<>();
        RoutedPayloads routed = routedPayloads(lab, progress);
        cases.put("read-routed-frames", routed);
        progress.accept((routed.ok() ? "ok  " : "FAIL") + " insider read-routed-frames: " + routed.openedByIntermediate()
                + " opened by the intermediates, " + routed.forwardedForPair() + " routed messages of the pair forwarded by them, "
                + routed.routedFramesWithPattern() + " frames with the pattern came over the ring (control)"
                + (routed.problems().isEmpty() ? "" : "; " + routed.problems()));
        cases.putAll(InsiderCases.provenElsewhere());
        return new Report(routed.ok(), lab.spec().sites() + " valid sites, no shortcuts, payload recording on", cases);
    }

    private static RoutedPayloads routedPayloads(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<String> problems = new ArrayList<>();
        List<NodeStatus> ring = new ArrayList<>();
        for (int s = 1; s <= spec.sites(); s++) {
            lab.nodeStatus(s).ifPresent(ring::add);
        }
        ring.sort(Comparator.comparing(NodeStatus::address));
        int a = site(ring.get(0));
        int b = site(ring.get(ring.size() / 2));
        String addressA = ring.get(0).address();
        String addressB = ring.get(ring.size() / 2).address();
        List<Integer> others = new ArrayList<>();
        for (int s = 1; s <= spec.sites(); s++) {
            if (s != a && s != b) {
                others.add(s);
            }
        }
        long deadline = System.nanoTime() + UNLINKED_WITHIN.toNanos();
        while (linked(lab, a, addressB) || linked(lab, b, addressA)) {
            if (System.nanoTime() > deadline) {
                problems.add("sites " + a + " and " + b + " kept a link of their own: nothing is routed between them");
                break;
            }
            Thread.sleep(200);
        }
        progress.accept("insider: sites " + a + " and " + b + " are opposite on the ring without a link; sites " + others
                + " record every payload they can open");
        long relayedBefore = relayed(lab, others);
        String hex = HexFormat.of().formatHex(SecurityTour.PATTERN.getBytes(StandardCharsets.US_ASCII));
        // The pattern in the very first frames of the pair: after four, they ask for a link of their own.
        Shell.Result r = lab.exec(spec.hostNamespace(a, 1), Duration.ofSeconds(30), "ping", "-n", "-q", "-c", "5", "-i", "0.2",
                "-W", "2", "-p", hex, "-s", "1000", spec.hostIp(b, 1));
        Ping ping = Ping.parse(r.output());
        progress.accept("insider: ping -p " + hex + " " + spec.hostIp(a, 1) + " -> " + spec.hostIp(b, 1) + ": "
                + ping.received() + "/" + ping.sent());
        double mbps = Double.NaN;
        try {
            mbps = lab.iperf(a, 1, b, 1, IPERF_SECONDS, "-b", "50M", "--repeating-payload");
        } catch (IOException e) {
            problems.add("iperf3: " + e.getMessage());
        }
        // The status files are written every second.
        Thread.sleep(1500);
        long relayedDelta = relayed(lab, others) - relayedBefore;
        Map<String, Long> forwardedBySite = new TreeMap<>();
        long opened = 0;
        for (int s : others) {
            PayloadRecord record = PayloadRecord.read(lab.payloadRecord(s));
            forwardedBySite.put("site" + s, record.count(PayloadRecord.FORWARDED, addressA, addressB));
            long found = record.holding(SecurityTour.PATTERN, SecurityTour.REPEATS)
                    + record.holding(SecurityTour.MARKER, SecurityTour.REPEATS);
            if (found > 0) {
                problems.add("site " + s + " opened " + found + " payload(s) of sites " + a + " and " + b + " that it routed");
            }
            opened += found;
        }
        long forwarded = forwardedBySite.values().stream().mapToLong(Long::longValue).sum();
        long control = PayloadRecord.read(lab.payloadRecord(a)).holding(PayloadRecord.FRAME, SecurityTour.PATTERN, SecurityTour.REPEATS)
                + PayloadRecord.read(lab.payloadRecord(b)).holding(PayloadRecord.FRAME, SecurityTour.PATTERN, SecurityTour.REPEATS);
        // One ping may wait for the pair's session over the ring; more lost means frames that
        // took the route did not reach the host (as when the opened frame was in a heap buffer).
        if (ping.received() < ping.sent() - 1) {
            problems.add("pings with the pattern: " + ping.received() + "/" + ping.sent() + " came back; read the pair's "
                    + "node.log (frames opened from the ring that did not reach the port?)");
        }
        if (forwarded == 0 || relayedDelta == 0) {
            problems.add("the intermediates forwarded nothing of the pair (records " + forwarded + ", counter relayed +"
                    + relayedDelta + "): nothing was shown");
        }
        if (control == 0) {
            problems.add("no frame with the pattern came over the ring to A or B (the control): the pair's link formed "
                    + "before the first ping, or the hook records nothing");
        }
        return new RoutedPayloads(problems.isEmpty(), List.copyOf(problems), a, b, List.copyOf(others), SecurityTour.PATTERN,
                SecurityTour.MARKER, ping.sent(), ping.received(), Double.isNaN(mbps) ? 0 : Math.round(mbps * 10) / 10.0,
                forwarded, forwardedBySite, relayedDelta, opened, control, linked(lab, a, addressB),
                List.of("unit test overlay-node SecureRoutedSessionTest#framesBetweenSitesWithoutALinkCrossTheRouteSealedAndThe"
                                + "NodeOnTheRouteOpensNoneOfThem",
                        "unit test overlay-node SecureRoutedSessionTest#aNodeOnTheRouteThatAltersARecordGetsItRefused"));
    }

    private static boolean linked(Lab lab, int from, String peer) {
        return lab.nodeStatus(from).map(st -> st.links().stream().anyMatch(l -> l.address().equals(peer))).orElse(false);
    }

    private static long relayed(Lab lab, List<Integer> sites) {
        long n = 0;
        for (int s : sites) {
            n += lab.nodeStatus(s).map(st -> st.ring().relayed()).orElse(0L);
        }
        return n;
    }

    private static int site(NodeStatus status) {
        return Integer.parseInt(status.name().substring("site".length()));
    }
}
