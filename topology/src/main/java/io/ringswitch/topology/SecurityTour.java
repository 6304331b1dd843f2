package io.ringswitch.topology;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The security demo's tour of a lab where three sites hold valid certificates and three do not
 * ({@link #spec}): it shows that no node with a bad certificate gets a link or a packet through,
 * and that the valid nodes said why they refused it; that nothing of a frame's payload crosses the
 * underlay in the clear (a capture with a control that finds it where it is still clear); and
 * that the valid sites all reach each other.
 */
public final class SecurityTour {
    /** The 16 bytes that fill the probe's pings ({@code ping -p}), searched for in the captures. */
    static final String PATTERN = "RingSwitchSecret";
    /** What iperf3 {@code --repeating-payload} fills its stream with, searched for too. */
    static final String MARKER = "0123456789";
    /** Back-to-back copies of a pattern that count as a match (one copy could occur by chance). */
    static final int REPEATS = 3;
    /** How long the bad nodes get to try after the ring formed, at least and at most. */
    private static final Duration MIN_WAIT = Duration.ofSeconds(12);
    private static final Duration MAX_WAIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** One case of the tour: whether it passed, the evidence, and what went wrong. */
    public sealed interface Case permits Refused, Capture, AllPairs {
        boolean ok();

        /** Why the case failed, one line each; empty when it passed. */
        List<String> problems();

        /** The evidence on one line, for the text table. */
        String evidence();
    }

    /**
     * A node with a bad certificate, as the valid nodes and the node itself saw it. The refusal
     * must be counted, with the expected reason, by a node that checks certificates: the valid
     * nodes, or the bad node itself when it checks them too. A bad node whose own certificate
     * passes against its own CA ({@code other-ca}) refuses the valid nodes' certificates just as
     * they refuse its own, and in a Noise XX handshake the responder shows its certificate first:
     * the bad node, initiating, refuses the valid node's and stops before it shows its own, so the
     * valid nodes may never see it. Nodes that skip their checks ({@link SiteCredential#unverified})
     * accept anything, so for them only the valid nodes' count is evidence.
     *
     * @param site             its site
     * @param credential       what is wrong with its certificate
     * @param address          the ring address it claims (its status; its certificate's when it wrote none)
     * @param keyAddress       the ring address its key and ring salt give
     * @param expectedReason   the refusal reason that should be counted
     * @param refusedBy        who counted it: {@code valid nodes}, {@code itself} (see above), or {@code nobody}
     * @param refused          refusals for that reason, summed over the valid nodes
     * @param refusedBySite    the same, per valid node
     * @param refusedByItself  refusals for that reason that the bad node counted (of the valid nodes' certificates)
     * @param reasonsCounted   every refusal reason the valid nodes counted, summed
     * @param example          one of the last refusals for that reason, the valid nodes' first, else its own; null when none
     * @param linkedBy         valid nodes that have a link to it (either address)
     * @param ownLinks         links the bad node itself reports
     * @param up               whether the bad node runs (it should, and keep trying)
     * @param pingsSent        pings from its host to every valid host
     * @param pingsReceived    replies to them
     */
    @JsonPropertyOrder({"ok", "problems"})
    public record Refused(boolean ok, List<String> problems, int site, String credential, String address, String keyAddress,
                          String expectedReason, String refusedBy, long refused, Map<String, Long> refusedBySite,
                          long refusedByItself, Map<String, Long> reasonsCounted, NodeStatus.Refusal example,
                          List<String> linkedBy, int ownLinks, boolean up, int pingsSent, int pingsReceived) implements Case {
        @Override
        public String evidence() {
            return String.format("site %d (%s): %s refused by the valid nodes %d x %s, by itself %d x; linked by %s; own links %d; "
                            + "pings %d/%d", site, shortAddress(address), expectedReason, refused, refusedBySite,
                    refusedByItself, linkedBy.isEmpty() ? "none" : linkedBy, ownLinks, pingsReceived, pingsSent);
        }
    }

    /**
     * What one capture held.
     *
     * @param namespace      where tcpdump ran
     * @param device         the interface it captured
     * @param packets        packets captured
     * @param bytes          bytes captured and searched
     * @param patternPackets packets holding {@value #REPEATS} copies of {@link #PATTERN}
     * @param markerPackets  packets holding {@value #REPEATS} copies of {@link #MARKER}
     * @param kernelDrops    packets tcpdump says the kernel dropped (not searched)
     */
    public record Scan(String namespace, String device, long packets, long bytes, long patternPackets, long markerPackets,
                       long kernelDrops) {
    }

    /**
     * Traffic between two valid sites, captured on the underlay (where it must be encrypted) and,
     * as the control, on the sending host (where it is still clear).
     */
    @JsonPropertyOrder({"ok", "problems"})
    public record Capture(boolean ok, List<String> problems, String from, String to, String pattern, String marker,
                          int pingsSent, int pingsReceived, double iperfMbps, Scan underlay, Scan control) implements Case {
        @Override
        public String evidence() {
            return String.format("underlay %s: %d packets, %.1f MB, pattern in %d, marker in %d; control %s: pattern in %d, "
                            + "marker in %d", underlay == null ? "-" : underlay.device(), underlay == null ? 0 : underlay.packets(),
                    underlay == null ? 0 : underlay.bytes() / 1e6, underlay == null ? 0 : underlay.patternPackets(),
                    underlay == null ? 0 : underlay.markerPackets(), control == null ? "-" : control.device(),
                    control == null ? 0 : control.patternPackets(), control == null ? 0 : control.markerPackets());
        }
    }

    /** Every ordered pair of valid hosts pinged. */
    @JsonPropertyOrder({"ok", "problems"})
    public record AllPairs(boolean ok, List<String> problems, int pairs, int sent, int received, Double rttMsAvg)
            implements Case {
        @Override
        public String evidence() {
            return String.format("%d pairs, %d/%d replies%s", pairs, received, sent,
                    rttMsAvg == null ? "" : String.format(", avg RTT %.3f ms", rttMsAvg));
        }
    }

    /**
     * What the tour saw.
     *
     * @param ok      every case passed, the insider section's lab case too when it ran
     * @param cases   by name: {@code other-ca}, {@code expired}, {@code address-mismatch}, {@code capture}, {@code all-pairs}
     * @param insider what a member can do to another member ({@link InsiderTour}, a lab of its own); null when not run
     * @param revocation revoking a member, with the group server up and down ({@link RevocationTour}, a lab of its own);
     *                   null when not run
     * @param next    what to do about the failures, empty when all passed
     * @param logs    where the lab's logs and status files were copied when a case failed, else null
     */
    public record Report(boolean ok, Map<String, Case> cases, InsiderTour.Report insider, RevocationTour.Report revocation,
                         List<String> next, String logs) {
        /** This report with the insider section, its result in {@code ok} and its problems in {@code next}. */
        public Report withInsider(InsiderTour.Report section, List<String> insiderNext) {
            List<String> all = new ArrayList<>(next);
            all.addAll(insiderNext);
            return new Report(ok && section.ok(), cases, section, revocation, List.copyOf(all), logs);
        }

        /** This report with the revocation section, its result in {@code ok} and its problems in {@code next}. */
        public Report withRevocation(RevocationTour.Report section, List<String> revocationNext) {
            List<String> all = new ArrayList<>(next);
            all.addAll(revocationNext);
            return new Report(ok && section.ok(), cases, insider, section, List.copyOf(all), logs);
        }

        public String toJson() {
            try {
                return JSON.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a report that Jackson cannot write: " + e.getMessage(), e);
            }
        }
    }

    private SecurityTour() {
    }

    /** The tour's lab: sites 1 to 3 valid, 4 {@code other-ca}, 5 {@code expired}, 6 {@code address-mismatch}. */
    public static LabSpec spec(String name) {
        return LabSpec.of(name, 6, 1).withCredential(4, SiteCredential.OTHER_CA).withCredential(5, SiteCredential.EXPIRED)
                .withCredential(6, SiteCredential.ADDRESS_MISMATCH);
    }

    /** Runs every case against {@code lab}, which is up (its valid sites' ring formed). */
    public static Report run(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<Integer> good = new ArrayList<>();
        List<Integer> bad = new ArrayList<>();
        for (int s = 1; s <= spec.sites(); s++) {
            (spec.member(s) ? good : bad).add(s);
        }
        List<String> next = new ArrayList<>();
        List<String> plaintext = plaintextSites(lab, good);
        if (!plaintext.isEmpty()) {
            progress.accept("valid nodes without link security: " + plaintext);
            next.add("the nodes report no link security (status security.encrypted false at " + plaintext + "): this build "
                    + "lacks the secure link layer of #8 (overlay-node), or the lab is not encrypted; merge it, rebuild and run again");
        }
        awaitAttempts(lab, good, bad, plaintext.isEmpty() ? MAX_WAIT : MIN_WAIT, progress);

        Map<String, Case> cases = new LinkedHashMap<>();
        for (int site : bad) {
            Refused refused = RefusalCase.run(lab, site, good, progress);
            cases.put(spec.credential(site).id(), refused);
            progress.accept((refused.ok() ? "ok  " : "FAIL") + " " + spec.credential(site) + ": " + refused.evidence());
            RefusalCase.next(refused, next);
        }
        Capture capture = UnderlayCapture.run(lab, good.get(0), good.get(1), progress);
        cases.put("capture", capture);
        progress.accept((capture.ok() ? "ok  " : "FAIL") + " capture: " + capture.evidence());
        if (!capture.ok()) {
            next.add(capture.underlay() != null && (capture.underlay().patternPackets() > 0 || capture.underlay().markerPackets() > 0)
                    ? "payload crossed the underlay in the clear: frames are not sealed before they leave the node "
                    + "(overlay-node link records); compare with 'tcpdump -r' of the capture"
                    : "the capture case could not show anything (" + String.join("; ", capture.problems()) + "): check that "
                    + "tcpdump and iperf3 run in the lab's namespaces, then run again");
        }
        AllPairs pairs = allPairs(lab, good, progress);
        cases.put("all-pairs", pairs);
        progress.accept((pairs.ok() ? "ok  " : "FAIL") + " all-pairs: " + pairs.evidence());
        if (!pairs.ok()) {
            next.add("valid sites do not all reach each other: run './ringswitch demo --sites 3' to see whether the ring "
                    + "carries traffic without the bad nodes, and read the valid sites' node.log");
        }
        boolean ok = cases.values().stream().allMatch(Case::ok);
        String logs = null;
        if (!ok) {
            logs = lab.saveLogs().toString();
            next.add("the lab's node logs, status files and configs are kept in " + logs);
        }
        return new Report(ok, cases, null, null, ok ? List.of() : List.copyOf(next), logs);
    }

    /** Valid sites whose node reports no link security. */
    private static List<String> plaintextSites(Lab lab, List<Integer> good) {
        List<String> out = new ArrayList<>();
        for (int site : good) {
            Optional<NodeStatus> st = lab.nodeStatus(site);
            if (st.isEmpty() || st.get().security() == null || !st.get().security().encrypted()) {
                out.add("site" + site);
            }
        }
        return out;
    }

    /**
     * Gives the bad nodes time to try: at least {@link #MIN_WAIT}, and until every expected refusal
     * was counted by some valid node or {@code limit} passed (no longer than the least when the
     * nodes run without link security: nobody will count a refusal then).
     */
    private static void awaitAttempts(Lab lab, List<Integer> good, List<Integer> bad, Duration limit,
                                      Consumer<String> progress) throws InterruptedException {
        progress.accept("giving the nodes with bad certificates (sites " + bad + ") " + MIN_WAIT.toSeconds() + " to "
                + limit.toSeconds() + " s to try to join");
        long start = System.nanoTime();
        long lastReport = start;
        while (true) {
            long elapsed = System.nanoTime() - start;
            Map<String, Long> counted = new TreeMap<>();
            for (int site : bad) {
                SiteCredential credential = lab.spec().credential(site);
                String reason = credential.refusal();
                long n = RefusalCase.refusedFor(lab, good, reason).values().stream().mapToLong(Long::longValue).sum();
                if (!credential.unverified()) {
                    n += RefusalCase.refusedFor(lab, List.of(site), reason).values().stream().mapToLong(Long::longValue).sum();
                }
                counted.put(reason, n);
            }
            boolean all = counted.values().stream().allMatch(n -> n > 0);
            if ((all && elapsed >= MIN_WAIT.toNanos()) || elapsed >= limit.toNanos()) {
                progress.accept("refusals counted: " + counted);
                return;
            }
            if (System.nanoTime() - lastReport >= TimeUnit.SECONDS.toNanos(5)) {
                progress.accept("refusals so far: " + counted);
                lastReport = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    private static AllPairs allPairs(Lab lab, List<Integer> good, Consumer<String> progress) throws IOException {
        LabSpec spec = lab.spec();
        List<String> problems = new ArrayList<>();
        Ping total = new Ping(0, 0, Double.NaN);
        int pairs = 0;
        for (int a : good) {
            for (int b : good) {
                if (a == b) {
                    continue;
                }
                pairs++;
                Ping ping = lab.ping(a, 1, b, 1, 3, 0.2);
                total = total.plus(ping);
                if (!ping.lossless()) {
                    problems.add("ping " + spec.hostIp(a, 1) + " -> " + spec.hostIp(b, 1) + ": " + ping.received() + "/"
                            + ping.sent() + " replies");
                }
            }
        }
        progress.accept(String.format("all-pairs: %d/%d replies over %d pairs of valid hosts", total.received(), total.sent(), pairs));
        return new AllPairs(problems.isEmpty(), List.copyOf(problems), pairs, total.sent(), total.received(),
                Double.isNaN(total.rttAvgMs()) ? null : Math.round(total.rttAvgMs() * 1000) / 1000.0);
    }

    static String shortAddress(String address) {
        return address == null || address.length() < 8 ? String.valueOf(address) : address.substring(0, 8);
    }
}
