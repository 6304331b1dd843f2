package io.ringswitch.overlay.group;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A minimal form-posting client for the group server's pages, holding at most one session cookie. */
final class TestBrowser {
    private final String base;
    private final HttpClient http;
    String cookie;

    TestBrowser(GroupServer server) {
        this.base = server.url();
        this.http = HttpClient.newBuilder().sslContext(PinnedTrust.context(server.tlsSha256()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in; returns the HTTP status of the login answer (303 when it worked). */
    int login(String password) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/admin/login", Map.of("password", password));
        r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
        return r.statusCode();
    }

    /** The CSRF token of the dashboard this session sees. */
    String csrf() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(get("/admin").body());
        if (!m.find()) {
            throw new AssertionError("no CSRF token on the dashboard: not logged in?");
        }
        return m.group(1);
    }

    /** Asks to join as {@code site}; returns the request id. */
    String ask(String site) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/join", Map.of("site", site, "contact", "ops@" + site + ".example"));
        if (r.statusCode() != 303) {
            throw new AssertionError("join refused: " + r.body());
        }
        return r.headers().firstValue("Location").orElseThrow().substring("/status/".length());
    }

    static Map<String, String> form(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
