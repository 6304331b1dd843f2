package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Turns one site with a bad certificate, the valid nodes' status files and pings from its host
 * into the {@link SecurityTour.Refused} case of the security tour: who refused it and why, who
 * linked to it, whether its host reached anyone; and a failed case into what to do next. Split
 * out of {@link SecurityTour}, which runs the cases.
 */
final class RefusalCase {
    private RefusalCase() {
    }

    /** Refusals for {@code reason} at each of {@code sites} ({@code siteN -> count}). */
    static Map<String, Long> refusedFor(Lab lab, List<Integer> sites, String reason) {
        Map<String, Long> out = new TreeMap<>();
        for (int site : sites) {
            lab.nodeStatus(site).map(NodeStatus::security).ifPresent(sec ->
                    out.put("site" + site, sec.refused() == null ? 0L : sec.refused().getOrDefault(reason, 0L)));
        }
        return out;
    }

    /** The case of the bad-certificate site {@code site}, from its status, the valid nodes' and pings. */
    static SecurityTour.Refused run(Lab lab, int site, List<Integer> good, Consumer<String> progress) throws IOException {
        LabSpec spec = lab.spec();
        SiteCredential credential = spec.credential(site);
        String reason = credential.refusal();
        List<String> problems = new ArrayList<>();
        X509Certificate cert = Pem.readCertificate(lab.siteDir(site).resolve("node.crt"));
        RingAddress keyAddress;
        RingAddress claimed;
        Optional<NodeStatus> own = lab.nodeStatus(site);
        try {
            keyAddress = NodeCertificate.addressOf(cert);
            claimed = own.isPresent() ? RingAddress.parse(own.get().address())
                    : NodeCertificate.readUnverified(cert).address();
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IOException(lab.siteDir(site).resolve("node.crt") + ": " + e.getMessage(), e);
        }
        boolean up = lab.health(site).up();
        if (!up) {
            problems.add("the node of site " + site + " is not running (" + lab.health(site).why() + "): it should run and keep trying");
        }
        int ownLinks = own.map(st -> st.links().size()).orElse(0);
        if (ownLinks > 0) {
            problems.add("the node of site " + site + " reports " + ownLinks + " link(s): "
                    + own.get().links().stream().map(l -> SecurityTour.shortAddress(l.address()) + " " + l.path()).toList());
        }
        List<String> linkedBy = new ArrayList<>();
        Map<String, Long> reasons = new TreeMap<>();
        List<NodeStatus.Refusal> examples = new ArrayList<>();
        String from = spec.siteUnderlayIp(site) + ":";
        for (int g : good) {
            Optional<NodeStatus> st = lab.nodeStatus(g);
            if (st.isEmpty()) {
                problems.add("valid site " + g + " wrote no status");
                continue;
            }
            for (NodeStatus.LinkStatus link : st.get().links()) {
                RingAddress peer = RingAddress.parse(link.address());
                if (peer.equals(claimed) || peer.equals(keyAddress)) {
                    linkedBy.add("site" + g);
                }
            }
            NodeStatus.SecurityStats sec = st.get().security();
            if (sec == null) {
                continue;
            }
            if (sec.refused() != null) {
                sec.refused().forEach((k, v) -> reasons.merge(k, v, Long::sum));
            }
            if (sec.lastRefused() != null) {
                sec.lastRefused().stream().filter(r -> reason.equals(r.reason())).forEach(examples::add);
            }
        }
        if (!linkedBy.isEmpty()) {
            problems.add("valid nodes linked to it: " + linkedBy);
        }
        Map<String, Long> bySite = refusedFor(lab, good, reason);
        long refused = bySite.values().stream().mapToLong(Long::longValue).sum();
        Optional<NodeStatus.SecurityStats> ownSecurity = own.map(NodeStatus::security);
        long byItself = ownSecurity.map(sec -> sec.refused() == null ? 0L : sec.refused().getOrDefault(reason, 0L)).orElse(0L);
        String refusedBy = refused > 0 ? "valid nodes" : byItself > 0 && !credential.unverified() ? "itself" : "nobody";
        if (refusedBy.equals("nobody")) {
            problems.add("no valid node counted a refusal for " + reason + " (reasons counted: " + reasons + ")"
                    + (credential.unverified() ? "" : ", nor did the node itself (its reasons: "
                    + ownSecurity.map(NodeStatus.SecurityStats::refused).orElse(Map.of()) + ")"));
        }
        NodeStatus.Refusal example = examples.stream()
                .sorted(Comparator.comparing((NodeStatus.Refusal r) -> r.from() != null && fromSite(r.from(), from))
                        .thenComparingLong(NodeStatus.Refusal::atMillis))
                .reduce((a, b) -> b)
                .or(() -> ownSecurity.flatMap(sec -> sec.lastRefused() == null ? Optional.empty()
                        : sec.lastRefused().stream().filter(r -> reason.equals(r.reason())).reduce((a, b) -> b)))
                .orElse(null);
        int sent = 0;
        int received = 0;
        for (int g : good) {
            Ping ping = lab.ping(site, 1, g, 1, 2, 0.2);
            sent += ping.sent();
            received += ping.received();
            if (ping.received() > 0) {
                problems.add("its host " + spec.hostIp(site, 1) + " pinged " + spec.hostIp(g, 1) + ": " + ping.received() + "/"
                        + ping.sent() + " replies");
            }
        }
        if (sent == 0) {
            problems.add("no ping could be sent from " + spec.hostIp(site, 1));
        }
        progress.accept("site " + site + " (" + credential + "): " + reason + " counted " + refused + " x by the valid nodes, "
                + byItself + " x by itself; " + linkedBy.size() + " valid node(s) linked to it, " + received + "/" + sent
                + " pings answered");
        return new SecurityTour.Refused(problems.isEmpty(), List.copyOf(problems), site, credential.id(), claimed.toString(),
                keyAddress.toString(), reason, refusedBy, refused, bySite, byItself, reasons, example, List.copyOf(linkedBy),
                ownLinks, up, sent, received);
    }

    /** What to do when the case of {@code r} failed, added to {@code next}. */
    static void next(SecurityTour.Refused r, List<String> next) {
        if (!r.linkedBy().isEmpty() || r.ownLinks() > 0 || r.pingsReceived() > 0) {
            next.add("site " + r.site() + " (" + r.credential() + ") got in: the link handshake must refuse a certificate that "
                    + "is " + r.credential() + " (overlay-node security; expected reason " + r.expectedReason()
                    + "); read the valid sites' node.log");
        } else if (r.refusedBy().equals("nobody")) {
            next.add("site " + r.site() + " (" + r.credential() + ") stayed out, but no valid node counted " + r.expectedReason()
                    + " (counted: " + r.reasonsCounted() + "): check the reason names in overlay-node, and the bad node's "
                    + "node.log to see that it tried");
        } else if (!r.up()) {
            next.add("site " + r.site() + " (" + r.credential() + ") stopped running: read its node.log");
        }
    }

    /**
     * Whether a refusal's underlay endpoint ({@code 10.99.0.5:5800}, or {@code /10.99.0.5:5800} as
     * Java prints one) starts with {@code prefix}.
     */
    static boolean fromSite(String endpoint, String prefix) {
        return (endpoint.startsWith("/") ? endpoint.substring(1) : endpoint).startsWith(prefix);
    }
}
