package io.ringswitch.overlay.group;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reading requests and writing answers for the group server's handlers: bodies bounded before
 * they are read, forms decoded with every field at most once, and the same security headers on
 * every answer (no framing, no sniffing, no referrer: status pages carry the request's id).
 */
final class Exchanges {
    /** Largest body accepted: a form or a certificate request is far smaller. */
    static final int MAX_BODY = 16 * 1024;

    private Exchanges() {
    }

    static byte[] body(HttpExchange ex) throws IOException, GroupRefusal {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length) > MAX_BODY) {
                    throw new GroupRefusal("body-too-large", "the request's body is larger than " + MAX_BODY + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new GroupRefusal("body-length", "a malformed Content-Length");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = new byte[4096];
            int n;
            while ((n = in.read(b)) > 0) {
                out.write(b, 0, n);
                if (out.size() > MAX_BODY) {
                    throw new GroupRefusal("body-too-large", "the request's body is larger than " + MAX_BODY + " bytes");
                }
            }
        }
        return out.toByteArray();
    }

    /** An {@code application/x-www-form-urlencoded} body; a repeated or undecodable field is refused. */
    static Map<String, String> form(HttpExchange ex) throws IOException, GroupRefusal {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            throw new GroupRefusal("form-type", "a form must be sent as application/x-www-form-urlencoded");
        }
        Map<String, String> fields = new HashMap<>();
        String text = new String(body(ex), StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return fields;
        }
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (fields.put(k, v) != null) {
                    throw new GroupRefusal("form-repeated", "the field " + Html.escape(k) + " is given twice");
                }
            } catch (IllegalArgumentException e) {
                throw new GroupRefusal("form-encoding", "the form is not URL-encoded");
            }
        }
        return fields;
    }

    static void html(HttpExchange ex, int status, String page) throws IOException {
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'");
        send(ex, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("X-Frame-Options", "DENY");
        ex.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Strict-Transport-Security", "max-age=31536000");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A 303 to {@code location} (after a POST: the browser then GETs it). */
    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        send(ex, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    static String client(HttpExchange ex) {
        return ex.getRemoteAddress() == null ? "?" : ex.getRemoteAddress().getAddress().getHostAddress();
    }
}
