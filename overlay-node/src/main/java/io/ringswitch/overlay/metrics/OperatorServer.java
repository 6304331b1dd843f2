package io.ringswitch.overlay.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP endpoint for operators: {@code GET /metrics} in the Prometheus text exposition
 * format, and whatever other pages are {@linkplain #install installed} (the dashboard). Paths match
 * exactly; any other path is answered 404 and any method but GET and HEAD 405, each counted in
 * {@code ringswitch_refused_total{layer="operator"}} and logged sparingly. One daemon thread serves
 * requests, so a scrape never runs on the node's event loop.
 */
public final class OperatorServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperatorServer.class);
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, HttpHandler> pages = new ConcurrentHashMap<>();
    private final CounterDataPoint notFound;
    private final CounterDataPoint badMethod;

    private OperatorServer(HttpServer server, NodeMetrics metrics) {
        this.server = server;
        Counter refused = metrics.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason");
        notFound = refused.labelValues("operator", "not-found");
        badMethod = refused.labelValues("operator", "method-not-allowed");
        MetricsHandler exporter = new MetricsHandler(metrics.registry());
        pages.put("/metrics", exchange -> exporter.handle(new TextOnlyExchange(exchange)));
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "operator-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    /** Listens on {@code address} and serves {@code metrics} at {@code /metrics}. */
    public static OperatorServer start(InetSocketAddress address, NodeMetrics metrics) throws IOException {
        OperatorServer s = new OperatorServer(HttpServer.create(address, 16), metrics);
        s.server.start();
        return s;
    }

    /**
     * The endpoint {@code operator:} configures; null when off, or when its address cannot be bound
     * (another node on this host holds it): metrics are no reason to stop a site's traffic.
     */
    public static OperatorServer startOrWarn(NodeConfig.Operator op, NodeMetrics metrics) {
        if (!op.on()) {
            return null;
        }
        try {
            OperatorServer s = start(Endpoints.parse(op.listen()), metrics);
            log.info("metrics at http://{}/metrics", Endpoints.format(s.address()));
            return s;
        } catch (IOException e) {
            log.warn("cannot serve metrics on {}: {}; running without the operator endpoint", op.listen(), e.toString());
            return null;
        }
    }

    /** The server itself, for whoever needs more than {@link #install} (its address, its contexts). */
    public HttpServer server() {
        return server;
    }

    /** The address it listens on (the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Serves GET requests for exactly {@code path} with {@code handler} (the dashboard's pages). */
    public void install(String path, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path starts with /: " + path);
        }
        pages.put(path, handler);
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            HttpHandler page = pages.get(exchange.getRequestURI().getPath());
            if (page == null) {
                refuse(exchange, 404, notFound, "no such page");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                refuse(exchange, 405, badMethod, "method not allowed");
            } else {
                page.handle(exchange);
            }
        }
    }

    private static void refuse(HttpExchange exchange, int status, CounterDataPoint counter, String why) throws IOException {
        counter.inc();
        long n = counter.getLongValue();
        if (Long.bitCount(n) == 1) {
            log.warn("operator endpoint refused {} {} from {}: {} ({} so far)", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), exchange.getRemoteAddress(), why, n);
        }
        exchange.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
