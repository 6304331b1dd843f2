package io.ringswitch.overlay.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Turns requests on an operator's {@link HttpServer} into the dashboard: the page ({@code /}, with
 * its script, style and icon as resources of their own, so that its policy allows no inline script), and {@code /status.json}, the JSON of whatever the
 * status supplier gives (a node's {@code NodeStatus}, or a whole lab's statuses), which the page
 * polls every second.
 *
 * <p>It installs one context, {@code /}, so that a handler another part installs on the same
 * server for a longer path ({@code /metrics}) takes precedence, and every other path is its to
 * refuse. Refused, each with a counter and a log line ({@link HttpRefusals}): a path it does not
 * serve (404), a method other than GET or HEAD (405), and a {@code Host} header that is neither an IP
 * literal nor {@code localhost} (403). The last stops DNS rebinding: a web page on another site
 * whose name an attacker points at 127.0.0.1 would otherwise read the node's status through the
 * operator's own browser. Answers carry no CORS headers, so other origins cannot read them.
 */
public final class DashboardRoutes {
    /** The path the page polls. */
    public static final String STATUS_PATH = "/status.json";
    private static final String RESOURCES = "/io/ringswitch/overlay/dashboard/";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<?> status;
    private final HttpRefusals refusals;
    private final Map<String, Resource> resources;

    private record Resource(String type, byte[] body) {
    }

    private DashboardRoutes(Supplier<?> status, HttpRefusals refusals) {
        this.status = status;
        this.refusals = refusals;
        this.resources = Map.of(
                "/", new Resource("text/html; charset=utf-8", resource("dashboard.html")),
                "/dashboard.js", new Resource("text/javascript; charset=utf-8", resource("dashboard.js")),
                "/dashboard.css", new Resource("text/css; charset=utf-8", resource("dashboard.css")),
                "/favicon.svg", new Resource("image/svg+xml", resource("favicon.svg")));
    }

    /**
     * Installs the dashboard on {@code server} (started or not), answering {@code /status.json} with
     * the JSON of {@code status.get()}, asked anew on every request.
     */
    public static HttpRefusals install(HttpServer server, Supplier<?> status) {
        HttpRefusals refusals = new HttpRefusals();
        DashboardRoutes routes = new DashboardRoutes(status, refusals);
        server.createContext("/", routes::handle);
        return refusals;
    }

    /**
     * Installs the dashboard's pages and {@code /status.json}, each by its exact path, through
     * {@code install} (a node's operator endpoint, which serves {@code /metrics} beside them).
     */
    public static HttpRefusals install(BiConsumer<String, HttpHandler> install, Supplier<?> status) {
        HttpRefusals refusals = new HttpRefusals();
        DashboardRoutes routes = new DashboardRoutes(status, refusals);
        routes.resources.keySet().forEach(path -> install.accept(path, routes::handle));
        install.accept(STATUS_PATH, routes::handle);
        return refusals;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            String client = ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
            String host = ex.getRequestHeaders().getFirst("Host");
            if (!allowedHost(host)) {
                refuse(ex, 403, "host", "Host " + host + " from " + client + " (only IP literals and localhost: no DNS rebinding)");
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                refuse(ex, 405, "method", method + " " + path + " from " + client);
                return;
            }
            if (path.equals(STATUS_PATH)) {
                byte[] json;
                try {
                    json = JSON.writeValueAsBytes(status.get());
                } catch (RuntimeException e) {
                    refuse(ex, 503, "status-unavailable", "the status could not be taken: " + e.getMessage());
                    return;
                }
                send(ex, 200, "application/json", json);
                return;
            }
            Resource r = resources.get(path);
            if (r == null) {
                refuse(ex, 404, "not-found", method + " " + path + " from " + client);
                return;
            }
            send(ex, 200, r.type(), r.body());
        }
    }

    /**
     * Whether a {@code Host} header names this server by address or as {@code localhost}: a name
     * other than those is what a browser sends to a rebound name, and is refused. A request
     * without the header (HTTP/1.0) comes from no browser, and passes. Public so that other operator
     * endpoints on the same server ({@code /metrics}) can apply the same check.
     */
    public static boolean allowedHost(String host) {
        if (host == null) {
            return true;
        }
        String name = host;
        int close = name.lastIndexOf(']');
        int colon = name.lastIndexOf(':');
        if (colon > close && PORT.matcher(name.substring(colon + 1)).matches()) {
            name = name.substring(0, colon);
        }
        return name.equalsIgnoreCase("localhost") || IPV4.matcher(name).matches() || IPV6.matcher(name).matches();
    }

    private void refuse(HttpExchange ex, int code, String reason, String detail) throws IOException {
        refusals.count(reason, detail);
        send(ex, code, "text/plain; charset=utf-8", (code + " " + reason + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                + "connect-src 'self'; img-src 'self'; frame-ancestors 'none'");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(code, head || body.length == 0 ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
