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
 * The HTTP server on the node's operator address (loopback by default), with the dashboard
 * installed on it. Other operator endpoints ({@code /metrics}) are installed on {@link #http()}
 * as contexts of their own. Two worker threads: a poll waits for the node's event loop at most a
 * few seconds, and a slow client must not hold up the next poll.
 */
public final class OperatorServer implements AutoCloseable {
    /** The system property that gives the operator address, {@code HOST:PORT}, or {@code off}. */
    public static final String LISTEN_PROPERTY = "ringswitch.operator.listen";
    /** The address when the property is not set: loopback only. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:9464";
    private static final Logger log = LoggerFactory.getLogger(OperatorServer.class);

    private final HttpServer http;
    private final ExecutorService workers;
    private final HttpRefusals refusals;

    private OperatorServer(HttpServer http, ExecutorService workers, HttpRefusals refusals) {
        this.http = http;
        this.workers = workers;
        this.refusals = refusals;
    }

    /**
     * Starts a server on {@code listen} that serves the dashboard of {@code status} (asked on every
     * poll); port 0 takes any free port.
     */
    public static OperatorServer start(InetSocketAddress listen, Supplier<?> status) throws IOException {
        HttpServer http = HttpServer.create(listen, 16);
        ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "operator-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(workers);
        HttpRefusals refusals = DashboardRoutes.install(http, status);
        http.start();
        OperatorServer server = new OperatorServer(http, workers, refusals);
        log.info("dashboard on {}", server.url());
        return server;
    }

    /**
     * The operator address the system property {@value #LISTEN_PROPERTY} names, {@value #DEFAULT_LISTEN}
     * when it is unset, empty when it is {@code off}.
     *
     * @throws IllegalArgumentException when it is no {@code HOST:PORT}
     */
    public static Optional<InetSocketAddress> configured() {
        String value = System.getProperty(LISTEN_PROPERTY, DEFAULT_LISTEN).trim();
        if (value.equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        return Optional.of(Endpoints.parse(value));
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
