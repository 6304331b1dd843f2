package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.revocation.CrlFetcher;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import io.ringswitch.overlay.security.Revocations;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The revocations section of the status, turned from a scrape of the node's registry (issue 20):
 * the records held ({@code ringswitch_revocations}, read at scrape time from the set, which any
 * thread may read), the peers whose sessions closed for one, the CRLs fetched, and what was refused
 * ({@code ringswitch_refused_total} of layers {@code revocation} and {@code crl}, and the ring
 * reports the group server did not take), and the last CRL taken (its number, when it was issued
 * and fetched). Every figure is counted where it happens; nothing here keeps a copy.
 */
final class RevocationMetrics {
    /** Revoked members held: its presence in a scrape is what says the node has revocations at all. */
    static final String HELD = "ringswitch_revocations";

    private RevocationMetrics() {
    }

    /** Registers the gauge of the records {@code revocations} holds. */
    static void register(NodeMetrics metrics, Revocations revocations) {
        metrics.gaugeReadAtScrape(HELD, "Revoked members this node holds and acts on.", cb -> cb.call(revocations.size()));
    }

    /** The section from {@code scrape}; null when the node holds no revocations (no identity). */
    static NodeStatus.RevocationStats status(MetricsSnapshot scrape) {
        if (!scrape.has(HELD)) {
            return null;
        }
        Map<String, Long> refused = new LinkedHashMap<>(scrape.refused("revocation"));
        scrape.refused(CrlFetcher.LAYER).forEach((reason, n) -> refused.merge(reason, n, Long::sum));
        long reportsFailed = scrape.get(NodeRevocations.REPORTS_FAILED);
        if (reportsFailed > 0) {
            refused.put("ring-report-failed", reportsFailed);
        }
        return new NodeStatus.RevocationStats((int) scrape.gauge(HELD, 0), scrape.get(SecureLinkHandler.REVOKED_PEERS_CLOSED),
                scrape.get(CrlFetcher.FETCHED), refused, (long) scrape.gauge(CrlFetcher.NUMBER, -1),
                instant(scrape, CrlFetcher.ISSUED), instant(scrape, CrlFetcher.FETCHED_AT));
    }

    private static String instant(MetricsSnapshot scrape, String name) {
        double s = scrape.gauge(name, Double.NaN);
        return Double.isNaN(s) ? null : Instant.ofEpochMilli(Math.round(s * 1000)).toString();
    }
}
