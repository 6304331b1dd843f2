package io.ringswitch.overlay.group;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.security.LocalFiles;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's short-lived certificate fresh: before two thirds of its lifetime (with jitter,
 * {@link RenewalSchedule}) it renews through the group server ({@link Client}), writes the new
 * certificate over the old file, and hands the new identity to the node ({@code onRenewed}), which
 * proves it in new handshakes and to every peer it has a session with. A renewal that fails is
 * retried with a growing wait; the node keeps its certificate and works until that expires, and
 * says so in its status ({@link #status}) and in a WARN line at most once a minute. At expiry the
 * certificate cannot be renewed any more (the group server refuses an expired one, and the node's
 * peers refuse its handshakes and end its sessions): an ERROR line, repeated every ten minutes,
 * says what the operator must do.
 *
 * <p>Timers come from the node's {@link Scheduler}; the HTTPS exchange runs on {@code io}, never
 * on the event loop. Certificate times are wall-clock ({@code clock}), as X.509 validity is. What it
 * does is in the node's registry ({@link CertificateMetrics}), and its status is read from there.
 */
public final class CertificateRenewer implements CertificateMetrics.Source {
    private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);
    /** A failing renewal is logged at WARN at most this often (each failure is in the status). */
    static final Duration WARN_EVERY = Duration.ofMinutes(1);
    /** An expired certificate is reported at ERROR this often. */
    static final Duration EXPIRED_EVERY = Duration.ofMinutes(10);

    /** One renewal through the group server. */
    public interface Client {
        /** The renewed certificate of {@code identity}; throws with the server's reason when refused. */
        X509Certificate renew(NodeIdentity identity) throws IOException;

        /** The group server's address, for the operator's messages. */
        String server();
    }

    private final Client client;
    private final Path certificateFile;
    private final Scheduler scheduler;
    private final Executor io;
    private final Consumer<NodeIdentity> onRenewed;
    private final Clock clock;
    private final DoubleSupplier random;
    private volatile NodeIdentity identity;
    private volatile Instant due;
    private volatile Instant nextTry;
    private volatile Instant lastRenewed;
    private volatile Instant failingSince;
    private volatile Instant lastWarned;
    private final NodeMetrics metrics;
    private final CounterDataPoint renewals;
    private final CounterDataPoint failures;
    private volatile int failuresInRow;
    private volatile String lastError;
    /** Set once the certificate expired unrenewed: no more tries, only the reminder. */
    private volatile boolean expired;
    private volatile boolean closed;
    /** WARN lines about failed renewals, and ERROR lines about the expiry, written so far (tests). */
    private volatile long warned;
    private volatile long expiryReports;

    public CertificateRenewer(NodeIdentity identity, Client client, Path certificateFile, Scheduler scheduler,
                              Executor io, Consumer<NodeIdentity> onRenewed, Clock clock) {
        this(identity, client, certificateFile, scheduler, io, onRenewed, clock, NodeMetrics.inProcess());
    }

    /** As above, registering the certificate's metrics in {@code metrics}. */
    public CertificateRenewer(NodeIdentity identity, Client client, Path certificateFile, Scheduler scheduler,
                              Executor io, Consumer<NodeIdentity> onRenewed, Clock clock, NodeMetrics metrics) {
        this(identity, client, certificateFile, scheduler, io, onRenewed, clock, new SecureRandom()::nextDouble, metrics);
    }

    /** As above, with the random numbers (0 to 1) that jitter the schedule drawn from {@code random}, in a registry of its own. */
    public CertificateRenewer(NodeIdentity identity, Client client, Path certificateFile, Scheduler scheduler,
                              Executor io, Consumer<NodeIdentity> onRenewed, Clock clock, DoubleSupplier random) {
        this(identity, client, certificateFile, scheduler, io, onRenewed, clock, random, NodeMetrics.inProcess());
    }

    private CertificateRenewer(NodeIdentity identity, Client client, Path certificateFile, Scheduler scheduler,
                               Executor io, Consumer<NodeIdentity> onRenewed, Clock clock, DoubleSupplier random,
                               NodeMetrics metrics) {
        this.metrics = metrics;
        this.renewals = CertificateMetrics.RENEWED.in(metrics);
        this.failures = CertificateMetrics.FAILED.in(metrics);
        this.identity = identity;
        this.client = client;
        this.certificateFile = certificateFile;
        this.scheduler = scheduler;
        this.io = io;
        this.onRenewed = onRenewed;
        this.clock = clock;
        this.random = random;
        this.due = dueOf(identity);
        CertificateMetrics.register(metrics, this, clock);
    }

    /** Schedules the first renewal, before two thirds of the current certificate's lifetime. */
    public void start() {
        log.info("certificate of {} valid until {}: renewal through {} due at {}", identity.certificate().name(),
                identity.certificate().notAfter(), client.server(), due);
        scheduleTry(untilNow(due));
    }

    public void close() {
        closed = true;
    }

    public NodeIdentity identity() {
        return identity;
    }

    /** When the current certificate is due for renewal: two thirds into its validity, less the jitter. */
    Instant due() {
        return due;
    }

    private Instant dueOf(NodeIdentity id) {
        X509Certificate c = id.certificate().certificate();
        return RenewalSchedule.due(c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), random.getAsDouble());
    }

    private Duration untilNow(Instant at) {
        Duration d = Duration.between(clock.instant(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    private void scheduleTry(Duration delay) {
        if (!closed) {
            nextTry = clock.instant().plus(delay);
            scheduler.schedule(delay.toMillis(), () -> io.execute(this::attempt));
        }
    }

    /**
     * The certificate expired without a renewal: say so, and what to do, now and every
     * {@link #EXPIRED_EVERY} (the chain of tries ends here).
     */
    private void reportExpired(NodeIdentity was) {
        expired = true;
        expiryReports++;
        log.error("certificate of {} expired at {} without being renewed through {} (last error: {}): its peers refuse "
                        + "its handshakes and have ended its sessions. The group server renews no expired certificate: "
                        + "ask the group's administrator for a new enrolment token, run 'ringswitch enrol --server {} "
                        + "--token TOKEN' and start the node with the configuration it writes",
                was.certificate().name(), was.certificate().notAfter(), client.server(), lastError, client.server());
        if (!closed) {
            nextTry = null;
            scheduler.schedule(EXPIRED_EVERY.toMillis(), () -> reportExpired(was));
        }
    }

    private void attempt() {
        if (closed || expired) {
            return;
        }
        NodeIdentity was = identity;
        if (!clock.instant().isBefore(was.certificate().notAfter())) {
            reportExpired(was);
            return;
        }
        try {
            X509Certificate fresh = client.renew(was);
            NodeCertificate checked = NodeCertificate.verify(fresh, was.ca(), clock.instant());
            if (!checked.address().equals(was.certificate().address())) {
                throw new IOException("the renewed certificate moves the node to " + checked.address());
            }
            if (!checked.notAfter().isAfter(was.certificate().notAfter())) {
                throw new IOException("the renewed certificate ends no later than the current one (" + checked.notAfter() + ")");
            }
            LocalFiles.write(certificateFile, Pem.encode(fresh).getBytes(StandardCharsets.US_ASCII), LocalFiles.GROUP_READABLE);
            NodeIdentity next = new NodeIdentity(was.key(), checked, was.ca());
            identity = next;
            due = dueOf(next);
            onRenewed.accept(next);
            renewals.inc();
            lastRenewed = clock.instant();
            if (failuresInRow > 0) {
                log.info("certificate of {} renewed after {} failed tries", checked.name(), failuresInRow);
            }
            failuresInRow = 0;
            failingSince = null;
            log.info("certificate of {} renewed: valid until {}, next renewal at {}", checked.name(), checked.notAfter(), due);
            scheduleTry(untilNow(due));
        } catch (IOException | NodeCertificate.CertificateRejected | RuntimeException e) {
            failed(was, e);
        }
    }

    private void failed(NodeIdentity was, Exception e) {
        Instant now = clock.instant();
        failures.inc();
        failuresInRow++;
        if (failingSince == null) {
            failingSince = now;
        }
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        Instant notAfter = was.certificate().notAfter();
        Duration left = untilNow(notAfter);
        Duration retry = RenewalSchedule.retry(failuresInRow, left, random.getAsDouble());
        if (retry.compareTo(left) > 0) {
            // The next try would come after the expiry: come at the expiry (not a millisecond
            // before it), to report it.
            retry = left.plusMillis(1);
        }
        if (failuresInRow == 1 || lastWarned == null || !now.isBefore(lastWarned.plus(WARN_EVERY))) {
            lastWarned = now;
            warned++;
            log.warn("certificate of {} not renewed through {} ({}; {} tries failed since {}): the node keeps working "
                            + "until it expires at {} ({} left); next try in {}", was.certificate().name(), client.server(),
                    lastError, failuresInRow, failingSince, notAfter, left, retry);
        } else {
            log.debug("certificate of {} not renewed ({}), try {} in a row", was.certificate().name(), lastError, failuresInRow);
        }
        scheduleTry(retry);
    }

    long warned() {
        return warned;
    }

    long expiryReports() {
        return expiryReports;
    }

    /** The certificate in use and how its renewal goes, as its registry has it (what the node's status shows). */
    public NodeStatus.CertificateStatus status() {
        return CertificateMetrics.status(MetricsSnapshot.of(metrics), clock.instant());
    }

    @Override
    public Instant notAfter() {
        return identity.certificate().notAfter();
    }

    @Override
    public String state(Instant now) {
        return !now.isBefore(notAfter()) ? "expired" : failuresInRow > 0 ? "renewal-failing" : "valid";
    }

    @Override
    public Instant nextRenewal(Instant now) {
        return now.isBefore(notAfter()) ? nextTry : null;
    }

    @Override
    public Instant lastRenewed() {
        return lastRenewed;
    }

    @Override
    public Instant failingSince() {
        return failingSince;
    }

    @Override
    public String lastError() {
        return lastError;
    }
}
