package io.ringswitch.overlay.group;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ringswitch group-server}: one process that serves, over HTTPS, the join page, the
 * administrator's pages, the enrolment and renewal API and the group's CRL, with its state in
 * {@code DIR/group.json} ({@link GroupStore}) and its TLS certificate in {@code DIR}
 * ({@link ServerCertificate}). It holds the group CA's key to sign certificates and the CRL.
 */
public final class GroupServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupServer.class);
    static final String STORE_FILE = "group.json";
    /** A node certificate's lifetime unless the server is told otherwise: a node renews it every 2 to 3 days. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofDays(4);
    /**
     * The shortest lifetime: the CA backdates a certificate by a minute for clocks that lag, so a
     * certificate of less than a minute would be due for renewal (two thirds into its validity)
     * the moment it is issued.
     */
    public static final long MIN_LIFETIME_SECONDS = 60;

    /**
     * What the server is started with.
     *
     * @param dir       where its store and TLS key live
     * @param listen    the HTTPS address
     * @param caDir     the group CA's directory ({@code ringswitch ca init})
     * @param bootstrap the ring endpoints written into every node's configuration
     * @param lifetime  how long a node certificate lives ({@link #DEFAULT_LIFETIME} unless set;
     *                  at least {@link #MIN_LIFETIME_SECONDS})
     */
    public record Settings(Path dir, InetSocketAddress listen, Path caDir, List<String> bootstrap, Duration lifetime) {
    }

    private final Settings settings;
    private final GroupStore store;
    private final GroupCa ca;
    private final ServerCertificate tls;
    private final HttpsServer http;
    private final ExecutorService workers;
    private final Refusals refusals = new Refusals();

    private GroupServer(Settings settings, GroupStore store, GroupCa ca, ServerCertificate tls, HttpsServer http,
                        ExecutorService workers) {
        this.settings = settings;
        this.store = store;
        this.ca = ca;
        this.tls = tls;
        this.http = http;
        this.workers = workers;
    }

    /**
     * Starts the server. {@code adminPassword} sets the administrator's password at first start
     * (when the store has none); later starts keep the stored one.
     */
    public static GroupServer start(Settings settings, String adminPassword, Clock clock) throws IOException {
        Files.createDirectories(settings.dir());
        GroupStore store = GroupStore.open(settings.dir().resolve(STORE_FILE));
        if (store.adminHash().isEmpty()) {
            if (adminPassword == null || adminPassword.length() < 12) {
                throw new IOException("first start: give the administrator's password (12 characters or more) with "
                        + "--admin-password-file");
            }
            store.setAdminHashIfAbsent(PasswordHash.hash(adminPassword));
            log.info("group server: administrator password set");
        } else if (adminPassword != null) {
            log.info("group server: an administrator password is already set; the one given is ignored");
        }
        GroupCa ca = GroupCa.load(settings.caDir(), clock.instant());
        String host = settings.listen().getAddress() == null ? settings.listen().getHostString()
                : settings.listen().getAddress().getHostAddress();
        ServerCertificate tls = ServerCertificate.loadOrCreate(settings.dir(), host);
        HttpsServer http = HttpsServer.create(settings.listen(), 64);
        http.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "group-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        GroupServer server = new GroupServer(settings, store, ca, tls, http, workers);
        server.routes(clock);
        http.start();
        log.info("group server of group {} on {} (TLS certificate SHA-256 {})", ca.group(), server.url(), tls.sha256());
        return server;
    }

    private void routes(Clock clock) {
        AdminSessions sessions = new AdminSessions(() -> System.nanoTime() / 1_000_000);
        LoginThrottle throttle = new LoginThrottle(() -> System.nanoTime() / 1_000_000);
        EnrolmentApi api = new EnrolmentApi(store, ca, this::bundle, settings.lifetime(), clock);
        JoinPages join = new JoinPages(store, ca.group(), tls.sha256(), this::bundle, clock);
        AdminPages admin = new AdminPages(store, ca.group(), tls.sha256(), sessions, throttle, refusals, clock);
        http.createContext("/", guarded(join::handle));
        http.createContext("/admin", guarded(admin::handle));
        http.createContext("/api/", guarded(api::handle));
        http.createContext("/crl", guarded(api::crl));
    }

    /**
     * Records, in the store of a server that is not running, a member whose certificate the group
     * CA issued outside the server (a lab's sites, or {@code ringswitch ca issue}), as if it had
     * asked, been approved and enrolled: the server then renews that certificate and can revoke
     * it. Refused when the certificate does not pass against the CA of {@code caDir} now, or the
     * site name is taken.
     */
    public static void admit(Path dir, Path caDir, String site, X509Certificate certificate, Instant now) throws IOException {
        try {
            NodeCertificate.verify(certificate, Pem.readCertificate(caDir.resolve(GroupCa.CERT_FILE)), now);
        } catch (NodeCertificate.CertificateRejected e) {
            throw new IOException("cannot admit " + site + ": its certificate is refused: " + e.getMessage(), e);
        }
        Files.createDirectories(dir);
        GroupStore store = GroupStore.open(dir.resolve(STORE_FILE));
        try {
            GroupState.Request asked = store.ask(site, "admitted from the server's host", now);
            String token = store.approve(asked.id(), now).token();
            store.enrol(token, NodeCertificate.addressOf(certificate).toString(), certificate.getSerialNumber(),
                    certificate.getNotAfter().toInstant(), now);
        } catch (GroupRefusal | NodeCertificate.CertificateRejected e) {
            throw new IOException("cannot admit " + site + ": " + e.getMessage(), e);
        }
    }

    /** The bundle every node of the group gets. */
    GroupApi.Bundle bundle() {
        try {
            return new GroupApi.Bundle(ca.group(), io.ringswitch.overlay.security.Pem.encode(ca.certificate()),
                    settings.bootstrap(), url(), tls.sha256(), settings.lifetime().toMinutes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's address, {@code https://HOST:PORT}, with the port it got. */
    public String url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return "https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** SHA-256 of the server's TLS certificate (what enrolment tokens carry). */
    public String tlsSha256() {
        return tls.sha256();
    }

    GroupStore store() {
        return store;
    }

    /** Counts of refused requests, by reason. */
    public java.util.Map<String, Long> refusals() {
        return refusals.snapshot();
    }

    /** One route's work, which may refuse: a refusal is counted and answered, anything else a plain 500. */
    interface Route {
        void handle(HttpExchange ex) throws IOException, GroupRefusal;
    }

    private HttpHandler guarded(Route route) {
        return ex -> {
            try {
                route.handle(ex);
            } catch (GroupRefusal r) {
                refusals.count(r, Exchanges.client(ex));
                if (r.isAnswered()) {
                    return;
                }
                int status = r.reason().equals("login-throttled") ? 429 : r.reason().equals("not-found") ? 404 : 400;
                if (ex.getRequestURI().getPath().startsWith("/api/")) {
                    Exchanges.send(ex, status, "application/json", EnrolmentApi.JSON.writeValueAsBytes(new GroupApi.Error(r.getMessage())));
                } else {
                    Exchanges.html(ex, status, Html.page(ca.group(), "Refused", Html.error(r.getMessage())
                            + "<p><a href=\"/\">Back</a></p>"));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("group server: {} {} failed: {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e.toString());
                try {
                    Exchanges.send(ex, 500, "text/plain; charset=utf-8", "internal error".getBytes(StandardCharsets.UTF_8));
                } catch (IOException | RuntimeException ignored) {
                    // The answer could not be sent either: the client went away.
                }
            } finally {
                ex.close();
            }
        };
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
    }
}
