package io.ringswitch.overlay;

import io.netty.util.concurrent.EventExecutor;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.function.Supplier;

/**
 * The node's certificate and revocations in its registry (issue 19's figures): certificate renewals
 * and failures, seconds until it expires, the revocations held, CRLs fetched and what was refused.
 * Read at scrape time from the same status records the status file shows, on the event loop that
 * owns them.
 */
final class IdentityMetrics {
    private IdentityMetrics() {
    }

    /** Registers the certificate's and revocations' metrics; either supplier may answer null (none). */
    static void register(NodeMetrics metrics, EventExecutor loop, Supplier<NodeStatus.CertificateStatus> certificate,
                         Supplier<NodeStatus.RevocationStats> revocations) {
        metrics.registry().register(CounterWithCallback.builder().name("ringswitch_certificate_renewals_total")
                .help("Certificate renewals through the group server, by outcome.").labelNames("outcome")
                .callback(cb -> {
                    NodeStatus.CertificateStatus c = RingGauges.onLoop(loop, certificate, null);
                    if (c != null) {
                        cb.call(c.renewals(), "renewed");
                        cb.call(c.failures(), "failed");
                    }
                }).build());
        metrics.gaugeReadAtScrape("ringswitch_certificate_expiry_seconds", "Seconds until the node's certificate expires.",
                cb -> {
                    NodeStatus.CertificateStatus c = RingGauges.onLoop(loop, certificate, null);
                    if (c != null) {
                        cb.call(c.expiresInSeconds());
                    }
                });
        metrics.gaugeReadAtScrape("ringswitch_revocations", "Revoked members this node holds and acts on.", cb -> {
            NodeStatus.RevocationStats r = RingGauges.onLoop(loop, revocations, null);
            if (r != null) {
                cb.call(r.revocations());
            }
        });
        metrics.registry().register(CounterWithCallback.builder().name("ringswitch_crl_fetches_total")
                .help("The group's CRL fetched.").callback(cb -> {
                    NodeStatus.RevocationStats r = RingGauges.onLoop(loop, revocations, null);
                    if (r != null) {
                        cb.call(r.crlsFetched());
                    }
                }).build());
        metrics.registry().register(CounterWithCallback.builder().name("ringswitch_revocation_refused_total")
                .help("Revocations and CRLs refused, by reason.").labelNames("reason").callback(cb -> {
                    NodeStatus.RevocationStats r = RingGauges.onLoop(loop, revocations, null);
                    if (r != null) {
                        r.refused().forEach((reason, n) -> cb.call(n, reason));
                    }
                }).build());
    }
}
