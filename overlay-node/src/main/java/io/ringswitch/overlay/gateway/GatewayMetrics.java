package io.ringswitch.overlay.gateway;

import io.ringswitch.overlay.api.GatewayCandidate;
import io.ringswitch.overlay.api.GatewayStatus;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The full tunnel's figures in the node's registry, and the status's gateway section turned from a
 * scrape of it (issue 20). The chooser, the publisher and the probes count their events in the
 * data points named here; what is no count is read at scrape time: the site's role
 * ({@code ringswitch_gateway_role{role}}), the gateway chosen ({@code ringswitch_gateway_chosen_info{site}}),
 * each candidate's round trip, missed probes, liveness and load (labels {@code site}, {@code address}),
 * the time without a gateway, and a gateway's own load. Candidates come from the chooser's
 * {@linkplain GatewayChooser#candidates() view}, which any thread may read.
 */
public final class GatewayMetrics {
    private static final String PROBES = "ringswitch_gateway_probes_total";
    private static final String PROBES_HELP = "Gateway probes: sent and answers taken (client), answered (gateway).";
    static final CounterKey PROBES_SENT = CounterKey.of(PROBES, PROBES_HELP, "event", "sent");
    static final CounterKey REPLIES_ACCEPTED = CounterKey.of(PROBES, PROBES_HELP, "event", "reply_accepted");
    static final CounterKey PROBES_ANSWERED = CounterKey.of(PROBES, PROBES_HELP, "event", "answered");
    static final CounterKey FAILOVERS = new CounterKey("ringswitch_gateway_failovers_total",
            "Times the chosen gateway was given up for another or for none.", List.of(), List.of());
    /** Probe answers refused: unknown gateway, wrong nonce, MAC or address unlike its record. */
    static final CounterKey REPLIES_REFUSED = CounterKey.refused("gateway", "reply-refused");
    /** Values under the gateway key that were no gateway record, or were signed by another node than the one they name. */
    static final CounterKey RECORDS_MALFORMED = CounterKey.refused("gateway", "record-malformed");
    static final CounterKey PROBES_MALFORMED = CounterKey.refused("gateway", "probe-malformed");
    /** Requests to a node that is no gateway, answers to one that asked nothing. */
    static final CounterKey PROBES_NOT_FOR_US = CounterKey.refused("gateway", "probe-not-for-us");
    static final String ROLE = "ringswitch_gateway_role";
    static final String CHOSEN = "ringswitch_gateway_chosen_info";
    static final String WITHOUT = "ringswitch_gateway_unavailable_seconds_total";
    static final String LOAD = "ringswitch_gateway_load_bytes_per_second";
    static final String CANDIDATE_RTT = "ringswitch_gateway_candidate_rtt_seconds";
    static final String CANDIDATE_MISSED = "ringswitch_gateway_candidate_missed_probes";
    static final String CANDIDATE_UP = "ringswitch_gateway_candidate_up";
    static final String CANDIDATE_LOAD = "ringswitch_gateway_candidate_load_bytes_per_second";

    private GatewayMetrics() {
    }

    /**
     * Registers what is read at scrape time: of {@code chooser} when this site is a full-tunnel
     * client, else of {@code publisher} when it is a gateway; nothing when it is neither.
     */
    public static void register(NodeMetrics metrics, GatewayChooser chooser, GatewayPublisher publisher) {
        if (chooser == null && publisher == null) {
            return;
        }
        String role = chooser != null ? "client" : "gateway";
        metrics.gaugeReadAtScrape(ROLE, "This site in the full tunnel: a gateway, or a client of one.", cb -> cb.call(1, role),
                "role");
        if (chooser == null) {
            metrics.gaugeReadAtScrape(LOAD, "Bytes a second through this gateway's port.", cb -> cb.call(publisher.load()));
            return;
        }
        metrics.gaugeReadAtScrape(CHOSEN, "The gateway this client chose (none while none answers).", cb -> {
            String site = chooser.chosenSite();
            if (site != null) {
                cb.call(1, site);
            }
        }, "site");
        metrics.registry().register(CounterWithCallback.builder().name(WITHOUT)
                .help("Time this client had no gateway since it started, the current stretch included.")
                .callback(cb -> cb.call(chooser.millisWithoutGateway() / 1000.0)).build());
        metrics.gaugeReadAtScrape(CANDIDATE_RTT, "Round trip of each gateway's last probe answer.", cb -> {
            for (GatewayCandidate c : chooser.candidates()) {
                if (c.rttMillis() >= 0) {
                    cb.call(c.rttMillis() / 1000.0, c.site(), c.address());
                }
            }
        }, "site", "address");
        metrics.gaugeReadAtScrape(CANDIDATE_MISSED, "Probes in a row each gateway did not answer.",
                cb -> chooser.candidates().forEach(c -> cb.call(c.missedProbes(), c.site(), c.address())), "site", "address");
        metrics.gaugeReadAtScrape(CANDIDATE_UP, "1 when a gateway counts as answering.",
                cb -> chooser.candidates().forEach(c -> cb.call(c.alive() ? 1 : 0, c.site(), c.address())), "site", "address");
        metrics.gaugeReadAtScrape(CANDIDATE_LOAD, "Bytes a second through each gateway, as its record says.",
                cb -> chooser.candidates().forEach(c -> cb.call(c.load(), c.site(), c.address())), "site", "address");
    }

    /** The gateway section from {@code scrape}; null when this site is neither gateway nor full-tunnel client. */
    public static GatewayStatus status(MetricsSnapshot scrape) {
        List<MetricsSnapshot.Point> role = scrape.points(ROLE);
        if (role.isEmpty()) {
            return null;
        }
        String chosen = null;
        for (MetricsSnapshot.Point p : scrape.points(CHOSEN)) {
            chosen = p.label("site", null);
        }
        Map<String, Double> rtt = new HashMap<>();
        scrape.points(CANDIDATE_RTT).forEach(p -> rtt.put(p.label("address", ""), p.value()));
        Map<String, Double> up = new HashMap<>();
        scrape.points(CANDIDATE_UP).forEach(p -> up.put(p.label("address", ""), p.value()));
        Map<String, Double> load = new HashMap<>();
        scrape.points(CANDIDATE_LOAD).forEach(p -> load.put(p.label("address", ""), p.value()));
        List<GatewayCandidate> candidates = new ArrayList<>();
        for (MetricsSnapshot.Point p : scrape.points(CANDIDATE_MISSED)) {
            String address = p.label("address", "");
            Double r = rtt.get(address);
            candidates.add(new GatewayCandidate(p.label("site", ""), address, r == null ? -1 : Math.round(r * 1000),
                    (int) p.value(), up.getOrDefault(address, 0.0) == 1, Math.round(load.getOrDefault(address, 0.0))));
        }
        double without = 0;
        for (MetricsSnapshot.Point p : scrape.points(WITHOUT)) {
            without = p.value();
        }
        return new GatewayStatus(role.get(0).label("role", ""), chosen, candidates, scrape.get(FAILOVERS),
                Math.round(without * 1000), scrape.get(PROBES_SENT), scrape.get(REPLIES_ACCEPTED), scrape.get(REPLIES_REFUSED),
                scrape.get(RECORDS_MALFORMED), scrape.get(PROBES_ANSWERED), Math.round(scrape.gauge(LOAD, 0)));
    }
}
