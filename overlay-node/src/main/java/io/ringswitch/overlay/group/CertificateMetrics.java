package io.ringswitch.overlay.group;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The node's certificate in its registry, and the status's certificate section turned from a scrape
 * of it (issue 20): when it expires and when its renewal is next due, was last done and began to fail
 * (timestamp gauges in seconds since the epoch, read at scrape time from the {@link Source}), its
 * state as a state set ({@code ringswitch_certificate_state{state}}, 1 for the current one), the
 * last renewal error as an info gauge, and renewals by outcome (counted by the renewer).
 */
public final class CertificateMetrics {
    static final String EXPIRY = "ringswitch_certificate_expiry_timestamp_seconds";
    static final String NEXT_RENEWAL = "ringswitch_certificate_next_renewal_timestamp_seconds";
    static final String LAST_RENEWAL = "ringswitch_certificate_last_renewal_timestamp_seconds";
    static final String FAILING_SINCE = "ringswitch_certificate_renewal_failing_since_timestamp_seconds";
    static final String STATE = "ringswitch_certificate_state";
    static final String LAST_ERROR = "ringswitch_certificate_renewal_error_info";
    private static final String RENEWALS = "ringswitch_certificate_renewals_total";
    private static final String RENEWALS_HELP = "Certificate renewals through the group server, by outcome.";
    /** Certificates renewed. */
    public static final CounterKey RENEWED = CounterKey.of(RENEWALS, RENEWALS_HELP, "outcome", "renewed");
    /** Renewal tries that failed. */
    public static final CounterKey FAILED = CounterKey.of(RENEWALS, RENEWALS_HELP, "outcome", "failed");
    /** Every state a certificate can be in, as the status file names them. */
    static final List<String> STATES = List.of("valid", "renewal-failing", "expired", "not-renewed");

    /** What the registry reads of a certificate at scrape time; any thread may ask. */
    public interface Source {
        /** When the certificate in use expires. */
        Instant notAfter();

        /** Its state at {@code now}: one of {@code valid}, {@code renewal-failing}, {@code expired}, {@code not-renewed}. */
        String state(Instant now);

        /** When the next renewal try is due; null when none is. */
        Instant nextRenewal(Instant now);

        /** When it was last renewed; null when never. */
        Instant lastRenewed();

        /** When the tries that failed in a row began; null when the last one did not fail. */
        Instant failingSince();

        /** What the last failed try said; null when none failed. */
        String lastError();
    }

    private CertificateMetrics() {
    }

    /** A certificate that is not renewed (no group server in the config): it is valid until it expires. */
    public static Source fixed(Supplier<Instant> notAfter) {
        return new Source() {
            @Override
            public Instant notAfter() {
                return notAfter.get();
            }

            @Override
            public String state(Instant now) {
                return now.isBefore(notAfter.get()) ? "not-renewed" : "expired";
            }

            @Override
            public Instant nextRenewal(Instant now) {
                return null;
            }

            @Override
            public Instant lastRenewed() {
                return null;
            }

            @Override
            public Instant failingSince() {
                return null;
            }

            @Override
            public String lastError() {
                return null;
            }
        };
    }

    /** Registers {@code certificate}'s gauges in {@code metrics}; the renewals' counters are the renewer's. */
    public static void register(NodeMetrics metrics, Source certificate, Clock clock) {
        RENEWED.in(metrics);
        FAILED.in(metrics);
        metrics.gaugeReadAtScrape(EXPIRY, "When the node's certificate expires, in seconds since the epoch.",
                cb -> cb.call(seconds(certificate.notAfter())));
        timestamp(metrics, NEXT_RENEWAL, "When the next renewal try is due, in seconds since the epoch.",
                () -> certificate.nextRenewal(clock.instant()));
        timestamp(metrics, LAST_RENEWAL, "When the certificate was last renewed, in seconds since the epoch.",
                certificate::lastRenewed);
        timestamp(metrics, FAILING_SINCE, "When the renewal tries that failed in a row began, in seconds since the epoch.",
                certificate::failingSince);
        metrics.gaugeReadAtScrape(STATE, "The certificate's state: 1 for the state it is in, 0 for the others.", cb -> {
            String now = certificate.state(clock.instant());
            STATES.forEach(s -> cb.call(s.equals(now) ? 1 : 0, s));
        }, "state");
        metrics.gaugeReadAtScrape(LAST_ERROR, "What the last failed renewal try said.", cb -> {
            String error = certificate.lastError();
            if (error != null) {
                cb.call(1, error);
            }
        }, "error");
    }

    /** The certificate section from {@code scrape} at {@code now}; null when the node has no certificate. */
    public static NodeStatus.CertificateStatus status(MetricsSnapshot scrape, Instant now) {
        if (!scrape.has(EXPIRY)) {
            return null;
        }
        Instant notAfter = instant(scrape, EXPIRY);
        String state = "valid";
        for (MetricsSnapshot.Point p : scrape.points(STATE)) {
            if (p.value() == 1) {
                state = p.label("state", state);
            }
        }
        String error = null;
        for (MetricsSnapshot.Point p : scrape.points(LAST_ERROR)) {
            error = p.label("error", null);
        }
        long left = notAfter == null ? 0 : Math.max(0, Duration.between(now, notAfter).toSeconds());
        return new NodeStatus.CertificateStatus(text(notAfter), state, scrape.get(RENEWED), scrape.get(FAILED), error, left,
                text(instant(scrape, NEXT_RENEWAL)), text(instant(scrape, LAST_RENEWAL)), text(instant(scrape, FAILING_SINCE)));
    }

    private static void timestamp(NodeMetrics metrics, String name, String help, Supplier<Instant> at) {
        metrics.gaugeReadAtScrape(name, help, cb -> {
            Instant i = at.get();
            if (i != null) {
                cb.call(seconds(i));
            }
        });
    }

    private static double seconds(Instant i) {
        return i.toEpochMilli() / 1000.0;
    }

    private static Instant instant(MetricsSnapshot scrape, String name) {
        double s = scrape.gauge(name, Double.NaN);
        return Double.isNaN(s) ? null : Instant.ofEpochMilli(Math.round(s * 1000));
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
