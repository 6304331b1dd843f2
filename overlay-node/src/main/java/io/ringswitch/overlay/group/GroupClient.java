package io.ringswitch.overlay.group;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTPS client of {@code ringswitch enrol} and of the renewal: JSON in and out, the group
 * server's certificate pinned by its SHA-256 ({@link PinnedTrust}), bounded timeouts, and a
 * refusal turned into an {@link IOException} that carries the server's reason.
 */
final class GroupClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final URI server;
    private final HttpClient http;

    GroupClient(String server, String serverSha256) {
        if (server == null || !server.startsWith("https://")) {
            throw new IllegalArgumentException("the group server's address is https://HOST:PORT (got " + server + ")");
        }
        this.server = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        this.http = HttpClient.newBuilder().sslContext(PinnedTrust.context(serverSha256)).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    <T> T post(String path, Object body, Class<T> answer) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(server + path)).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EnrolmentApi.JSON.writeValueAsBytes(body))).build(), answer);
    }

    <T> T get(String path, Class<T> answer) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(server + path)).timeout(TIMEOUT).GET().build(), answer);
    }

    /** The bytes at {@code path} (the CRL); throws on anything but 200. */
    byte[] bytes(String path) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(server + path)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            throw new IOException("the group server answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    private <T> T send(HttpRequest request, Class<T> answer) throws IOException {
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (r.statusCode() != 200) {
            String why;
            try {
                why = EnrolmentApi.JSON.readValue(r.body(), GroupApi.Error.class).error();
            } catch (IOException e) {
                why = "HTTP " + r.statusCode();
            }
            throw new IOException("the group server refused: " + why);
        }
        return EnrolmentApi.JSON.readValue(r.body(), answer);
    }
}
