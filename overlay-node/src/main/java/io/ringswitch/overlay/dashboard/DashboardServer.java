package io.ringswitch.overlay.dashboard;

import com.sun.net.httpserver.HttpServer;
import io.ringswitch.overlay.api.Endpoints;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server of its own with the dashboard installed on it: what {@code ringswitch dashboard}
 * serves a whole lab's page with (a node serves its own page on its operator endpoint, with
 * {@code /metrics}). Two worker threads: a poll may wait for a status a few seconds, and a slow
 * client must not hold up the next poll.
 */
public final class DashboardServer implements AutoCloseable {
    /** Where a node serves its own page by default (its operator endpoint, {@code operator.listen}). */
    public static final String DEFAULT_LISTEN = "127.0.0.1:9464";
    private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);

    private final HttpServer http;
    private final ExecutorService workers;
    private final HttpRefusals refusals;

    private DashboardServer(HttpServer http, ExecutorService workers, HttpRefusals refusals) {
        this.http = http;
        this.workers = workers;
        this.refusals = refusals;
    }

    /**
     * Starts a server on {@code listen} that serves the dashboard of {@code status} (asked on every
     * poll); port 0 takes any free port.
     */
    public static DashboardServer start(InetSocketAddress listen, Supplier<?> status) throws IOException {
        HttpServer http = HttpServer.create(listen, 16);
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "operator-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        HttpRefusals refusals = DashboardRoutes.install(http, status);
        http.start();
        DashboardServer server = new DashboardServer(http, workers, refusals);
        log.info("dashboard on {}", server.url());
        return server;
    }

    /** The server, for other operator endpoints to install their contexts on. */
    public HttpServer http() {
        return http;
    }

    /** What the dashboard refused, by reason. */
    public HttpRefusals refusals() {
        return refusals;
    }

    /** The dashboard's address as a browser takes it, e.g. {@code http://127.0.0.1:9464/}. */
    public String url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
