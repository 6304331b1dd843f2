package io.ringswitch.overlay.revocation;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.security.RevocationList;
import io.ringswitch.overlay.security.Revocations;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the group server's CRL on an interval (issue 19) and hands its records to
 * {@link Revocations}. A CRL that is not the group CA's, is past its next update or does not parse
 * is refused, counted by reason ({@code crl-bad-signature}, ...) and logged; a server that cannot
 * be reached is counted ({@code crl-unreachable}) and the node goes on with what it knows, the
 * ring broadcast and the DHT. Fetches are counted in {@code ringswitch_crl_fetches_total}, refusals
 * in {@code ringswitch_refused_total{layer="crl",reason}}; the last CRL taken is described by
 * {@code ringswitch_crl_number}, {@code ringswitch_crl_issued_timestamp_seconds} and
 * {@code ringswitch_crl_fetched_timestamp_seconds}. Runs on its own daemon thread, never on the event loop.
 */
public final class CrlFetcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CrlFetcher.class);

    /** Where the CRL's bytes come from (the group server; a test's stand-in). */
    public interface Source {
        byte[] fetch() throws IOException;
    }

    private final Source source;
    private final X509Certificate ca;
    private final Revocations revocations;
    private final Clock clock;
    /** The layer of its refusals in {@code ringswitch_refused_total}. */
    public static final String LAYER = "crl";
    /** CRLs fetched and accepted. */
    public static final CounterKey FETCHED = new CounterKey("ringswitch_crl_fetches_total", "The group's CRL fetched and accepted.",
            List.of(), List.of());
    private final Counter refusedFamily;
    /** Each reason's data point, resolved at its first refusal (the CRL's checks name their reasons). */
    private final Map<String, CounterDataPoint> refused = new ConcurrentHashMap<>();
    private final CounterDataPoint fetched;
    /** The last CRL taken: its number, when it was issued, when it was fetched; null before the first. */
    private volatile Taken taken;
    private final ScheduledExecutorService thread;
    private volatile Runnable afterEachFetch = () -> { };

    /** Gauge of the number of the last CRL taken. */
    public static final String NUMBER = "ringswitch_crl_number";
    /** Gauge of when the last CRL taken was issued. */
    public static final String ISSUED = "ringswitch_crl_issued_timestamp_seconds";
    /** Gauge of when the last CRL taken was fetched. */
    public static final String FETCHED_AT = "ringswitch_crl_fetched_timestamp_seconds";

    private record Taken(long number, Instant issued, Instant at) {
    }

    private void gauge(NodeMetrics metrics, String name, String help, Predicate<Taken> shown, ToDoubleFunction<Taken> value) {
        metrics.gaugeReadAtScrape(name, help, cb -> {
            Taken t = taken;
            if (t != null && shown.test(t)) {
                cb.call(value.applyAsDouble(t));
            }
        });
    }

    /** A fetcher that counts in a registry of its own (tests). */
    public CrlFetcher(Source source, X509Certificate ca, Revocations revocations, Clock clock) {
        this(source, ca, revocations, clock, NodeMetrics.inProcess());
    }

    /** A fetcher that counts in {@code metrics}. */
    public CrlFetcher(Source source, X509Certificate ca, Revocations revocations, Clock clock, NodeMetrics metrics) {
        this.refusedFamily = metrics.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason");
        this.fetched = FETCHED.in(metrics);
        gauge(metrics, NUMBER, "The number of the last CRL taken (RFC 5280 CRL number).", t -> t.number() >= 0,
                t -> (double) t.number());
        gauge(metrics, ISSUED, "When the last CRL taken was issued (its thisUpdate), in seconds since the epoch.",
                t -> true, t -> t.issued().toEpochMilli() / 1000.0);
        gauge(metrics, FETCHED_AT, "When the last CRL taken was fetched, in seconds since the epoch.", t -> true,
                t -> t.at().toEpochMilli() / 1000.0);
        this.source = source;
        this.ca = ca;
        this.revocations = revocations;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "crl-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code task} on the fetch's thread after each scheduled fetch, refused or not (the ring
     * report to the group server): after, so that it never delays a revocation.
     */
    public void afterEachFetch(Runnable task) {
        afterEachFetch = task;
    }

    /** Fetches now and then every {@code intervalMillis}. */
    public void start(long intervalMillis) {
        thread.scheduleWithFixedDelay(() -> {
            fetchOnce();
            try {
                afterEachFetch.run();
            } catch (RuntimeException e) {
                log.warn("after the CRL fetch: {}", e.toString());
            }
        }, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** One fetch: the number of revocations new to this node, or -1 when refused or unreachable. */
    public int fetchOnce() {
        byte[] der;
        try {
            der = source.fetch();
        } catch (IOException | RuntimeException e) {
            refuse("crl-unreachable", e.getMessage());
            return -1;
        }
        try {
            RevocationList.Read read = RevocationList.read(der, ca, clock.instant());
            fetched.inc();
            taken = new Taken(read.number(), read.issued(), clock.instant());
            if (read.withoutRecord() > 0) {
                refuse("crl-entry-without-record", read.withoutRecord() + " entries carry no revocation record");
            }
            return revocations.learnAll(read.records(), Revocations.Source.CRL);
        } catch (RevocationList.Refused e) {
            refuse(e.reason(), e.getMessage());
            return -1;
        }
    }

    private void refuse(String reason, String detail) {
        long n = Metrics.incremented(refused.computeIfAbsent(reason, r -> refusedFamily.labelValues(LAYER, r)));
        if (Long.bitCount(n) == 1) {
            log.warn("CRL refused or not fetched: {}: {} ({} so far)", reason, detail, n);
        }
    }

    /** CRLs fetched and accepted. */
    public long fetched() {
        return fetched.getLongValue();
    }

    /** Refusals by reason, as the registry counts them. */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new LinkedHashMap<>();
        refused.forEach((reason, p) -> out.put(reason, p.getLongValue()));
        return out;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
