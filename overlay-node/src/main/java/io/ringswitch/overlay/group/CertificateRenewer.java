package io.ringswitch.overlay.group;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.security.LocalFiles;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's short-lived certificate fresh: at two thirds of its lifetime it renews through
 * the group server ({@link RenewalClient}), writes the new certificate over the old file, and
 * hands the new identity to the node ({@code onRenewed}), which proves it in new handshakes. A
 * renewal that fails is retried at a tenth of the time left (5 s to 10 min); the node keeps its
 * certificate and works until that expires, and says so in its status ({@link #status}) and log.
 *
 * <p>Timers come from the node's {@link Scheduler}; the HTTPS exchange runs on {@code io}, never
 * on the event loop. Certificate times are wall-clock ({@code clock}), as X.509 validity is.
 */
public final class CertificateRenewer {
    private static final Logger log = LoggerFactory.getLogger(CertificateRenewer.class);
    private static final Duration MIN_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY = Duration.ofMinutes(10);

    private final RenewalClient client;
    private final Path certificateFile;
    private final Scheduler scheduler;
    private final Executor io;
    private final Consumer<NodeIdentity> onRenewed;
    private final Clock clock;
    private volatile NodeIdentity identity;
    private volatile long renewals;
    private volatile long failures;
    private volatile String lastError;
    private volatile boolean failing;
    private volatile boolean closed;

    public CertificateRenewer(NodeIdentity identity, RenewalClient client, Path certificateFile, Scheduler scheduler,
                              Executor io, Consumer<NodeIdentity> onRenewed, Clock clock) {
        this.identity = identity;
        this.client = client;
        this.certificateFile = certificateFile;
        this.scheduler = scheduler;
        this.io = io;
        this.onRenewed = onRenewed;
        this.clock = clock;
    }

    /** Schedules the first renewal, at two thirds of the current certificate's lifetime. */
    public void start() {
        schedule(untilDue());
    }

    public void close() {
        closed = true;
    }

    public NodeIdentity identity() {
        return identity;
    }

    /** When the current certificate is due for renewal: two thirds into its validity. */
    Instant due() {
        X509Certificate c = identity.certificate().certificate();
        Instant from = c.getNotBefore().toInstant();
        Instant to = c.getNotAfter().toInstant();
        return from.plus(Duration.between(from, to).multipliedBy(2).dividedBy(3));
    }

    private Duration untilDue() {
        Duration d = Duration.between(clock.instant(), due());
        return d.isNegative() ? Duration.ZERO : d;
    }

    private void schedule(Duration delay) {
        if (!closed) {
            scheduler.schedule(delay.toMillis(), () -> io.execute(this::attempt));
        }
    }

    private void attempt() {
        if (closed) {
            return;
        }
        NodeIdentity was = identity;
        try {
            X509Certificate fresh = client.renew(was);
            NodeCertificate checked = NodeCertificate.verify(fresh, was.ca(), clock.instant());
            if (!checked.address().equals(was.certificate().address())) {
                throw new IOException("the renewed certificate moves the node to " + checked.address());
            }
            LocalFiles.write(certificateFile, Pem.encode(fresh).getBytes(StandardCharsets.US_ASCII), LocalFiles.GROUP_READABLE);
            NodeIdentity next = new NodeIdentity(was.key(), checked, was.ca());
            identity = next;
            onRenewed.accept(next);
            renewals++;
            failing = false;
            log.info("certificate of {} renewed: valid until {}", checked.name(), checked.notAfter());
            schedule(untilDue());
        } catch (IOException | NodeCertificate.CertificateRejected | RuntimeException e) {
            failures++;
            failing = true;
            lastError = e.getMessage() == null ? e.toString() : e.getMessage();
            Instant notAfter = was.certificate().notAfter();
            Duration left = Duration.between(clock.instant(), notAfter);
            log.warn("certificate of {} not renewed ({}): the node keeps working until it expires at {} ({} left)",
                    was.certificate().name(), lastError, notAfter, left.isNegative() ? Duration.ZERO : left);
            Duration retry = left.dividedBy(10);
            schedule(retry.compareTo(MIN_RETRY) < 0 ? MIN_RETRY : retry.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry);
        }
    }

    /** The certificate in use and how its renewal goes, for the node's status. */
    public NodeStatus.CertificateStatus status() {
        Instant notAfter = identity.certificate().notAfter();
        String state = clock.instant().isAfter(notAfter) ? "expired" : failing ? "renewal-failing" : "valid";
        return new NodeStatus.CertificateStatus(notAfter.toString(), state, renewals, failures, lastError);
    }
}
