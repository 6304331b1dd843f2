package io.ringswitch.overlay.metrics;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A request as the exporter's handler should see it when the protobuf format is not on the class
 * path: its {@code Accept} header without the protobuf type. The node ships only the text formats
 * (the protobuf writer's jar is 2 MB of shaded classes, issue 21), but the handler picks protobuf
 * whenever a scraper lists it, available or not, and answers 500; a scraper that lists text too
 * (Prometheus always does) gets text this way.
 */
final class TextOnlyExchange extends HttpExchange {
    private final HttpExchange exchange;
    private final Headers request;

    TextOnlyExchange(HttpExchange exchange) {
        this.exchange = exchange;
        this.request = new Headers();
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase("Accept")) {
                for (String value : h.getValue()) {
                    request.add(h.getKey(), withoutProtobuf(value));
                }
            } else {
                request.put(h.getKey(), h.getValue());
            }
        }
    }

    /** {@code accept} without its protobuf media ranges. */
    static String withoutProtobuf(String accept) {
        StringBuilder out = new StringBuilder();
        for (String range : accept.split(",")) {
            if (!range.contains("application/vnd.google.protobuf")) {
                out.append(out.length() == 0 ? "" : ",").append(range.trim());
            }
        }
        return out.toString();
    }

    @Override
    public Headers getRequestHeaders() {
        return request;
    }

    @Override
    public Headers getResponseHeaders() {
        return exchange.getResponseHeaders();
    }

    @Override
    public URI getRequestURI() {
        return exchange.getRequestURI();
    }

    @Override
    public String getRequestMethod() {
        return exchange.getRequestMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return exchange.getHttpContext();
    }

    @Override
    public void close() {
        exchange.close();
    }

    @Override
    public InputStream getRequestBody() {
        return exchange.getRequestBody();
    }

    @Override
    public OutputStream getResponseBody() {
        return exchange.getResponseBody();
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
        exchange.sendResponseHeaders(rCode, responseLength);
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return exchange.getRemoteAddress();
    }

    @Override
    public int getResponseCode() {
        return exchange.getResponseCode();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return exchange.getLocalAddress();
    }

    @Override
    public String getProtocol() {
        return exchange.getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return exchange.getAttribute(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        exchange.setAttribute(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        exchange.setStreams(i, o);
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return exchange.getPrincipal();
    }
}
