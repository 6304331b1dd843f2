package io.ringswitch.topology;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Takes the group server's pages as a person with a browser does, over HTTPS that trusts the
 * server's own certificate and nothing else: ask to join ({@code POST /join}), log in as the
 * administrator, approve a request and read its token off the page, revoke a member. The
 * administrator's forms carry the session's CSRF token, read from the dashboard as a browser
 * would submit it.
 */
public final class GroupAdminClient {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String url;
    private final HttpClient http;
    private String cookie;

    /** A client of the server at {@code url} whose TLS certificate is in {@code tlsCertificate}. */
    public GroupAdminClient(String url, Path tlsCertificate) throws IOException {
        this.url = url;
        try (InputStream in = Files.newInputStream(tlsCertificate)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            this.http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IOException(tlsCertificate + ": " + e.getMessage(), e);
        }
    }

    /** Asks to join as {@code site}; returns the request's status page path. */
    public String ask(String site, String contact) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/join", Map.of("site", site, "contact", contact));
        return r.headers().firstValue("Location").orElseThrow(() -> new IOException("asking to join as " + site + ": HTTP "
                + r.statusCode() + " " + r.body()));
    }

    /** Logs in as the administrator. */
    public void login(String password) throws IOException, InterruptedException {
        HttpResponse<String> r = post("/admin/login", Map.of("password", password));
        cookie = r.headers().firstValue("Set-Cookie").map(c -> c.split(";", 2)[0])
                .orElseThrow(() -> new IOException("administrator login refused: HTTP " + r.statusCode()));
    }

    /** Approves the waiting request of {@code site} and returns its enrolment token, as the page shows it. */
    public String approve(String site) throws IOException, InterruptedException {
        String page = dashboard();
        Matcher m = Pattern.compile("name=\"id\" value=\"([^\"]+)\"><button type=\"submit\" id=\"approve-" + Pattern.quote(site)
                + "\"").matcher(page);
        if (!m.find()) {
            throw new IOException("no request of " + site + " waits on the administrator's page");
        }
        String done = action("/admin/approve", "id", m.group(1), page);
        Matcher token = Pattern.compile("id=\"token-" + Pattern.quote(site) + "\">([^<]+)<").matcher(done);
        if (!token.find()) {
            throw new IOException("approved " + site + " but its token is not on the page");
        }
        return token.group(1);
    }

    /** Revokes member {@code name} with the page's revoke button. */
    public void revoke(String name) throws IOException, InterruptedException {
        String done = action("/admin/revoke", "name", name, dashboard());
        if (!done.contains("id=\"done\"")) {
            throw new IOException("revoking " + name + ": the page did not confirm it");
        }
    }

    private String dashboard() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request("/admin").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !CSRF.matcher(r.body()).find()) {
            throw new IOException("the administrator's page: HTTP " + r.statusCode() + (cookie == null ? " (not logged in)" : ""));
        }
        return r.body();
    }

    private String action(String path, String field, String value, String page) throws IOException, InterruptedException {
        Matcher csrf = CSRF.matcher(page);
        csrf.find();
        HttpResponse<String> r = post(path, Map.of("csrf", csrf.group(1), field, value));
        if (r.statusCode() != 200) {
            throw new IOException(path + " " + value + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(TIMEOUT);
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b;
    }
}
