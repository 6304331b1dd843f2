package io.ringswitch.overlay.control;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's control socket: a Unix domain socket at a path from the config, the socket file
 * mode 0600 and, when the node makes its directory, the directory 0700, so only root (the node's
 * user) connects. Each connection sends one JSON {@link ControlRequest} per line and gets one
 * JSON {@link ControlAnswer} per line. A request that is too long, no JSON, of an unknown
 * operation or with a bad argument gets an error answer, is counted by reason
 * ({@link #refused()}, in the node's registry as {@code ringswitch_refused_total{layer="control",reason}})
 * and logged (the first of each reason, then at powers of two). The socket
 * file is removed on {@link #close}.
 * <p>
 * The socket is bound in a fresh directory of mode 0700 beside its path, set to 0600 and only
 * then moved to its path: no one connects in the moment between bind and chmod. A directory that
 * exists already must not be writable by group or others (someone could replace the socket).
 * Requests are served by {@value #THREADS} threads, never the node's own.
 */
public final class ControlSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);
    /** The longest request line; a status or ping request is well under 200 bytes. */
    public static final int MAX_REQUEST_BYTES = 4096;
    static final int THREADS = 4;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final Path path;
    private final ControlService service;
    private final ServerSocketChannel server;
    private final ExecutorService workers;
    private final Thread acceptor;
    /** Each reason's data point, resolved at the start. */
    private final Map<String, CounterDataPoint> refused = new LinkedHashMap<>();
    private volatile boolean closed;

    private ControlSocket(Path path, ControlService service, ServerSocketChannel server, NodeMetrics metrics) {
        Counter family = metrics.counter(Metrics.REFUSED, Metrics.REFUSED_HELP, "layer", "reason");
        REASONS.forEach(reason -> refused.put(reason, family.labelValues(LAYER, reason)));
        this.path = path;
        this.service = service;
        this.server = server;
        this.workers = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "control-" + path.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::accept, "control-accept-" + path.getFileName());
        this.acceptor.setDaemon(true);
    }

    /** The layer of its refusals in {@code ringswitch_refused_total}. */
    public static final String LAYER = "control";
    /** Every reason a request is refused for. */
    static final List<String> REASONS = List.of("too-long", "not-json", "unknown-op", "bad-argument");

    /** As {@link #open(Path, ControlService, NodeMetrics)}, counting in a registry of its own (tests). */
    public static ControlSocket open(Path path, ControlService service) throws IOException {
        return open(path, service, NodeMetrics.inProcess());
    }

    /**
     * Binds the socket at {@code path} (replacing a stale socket file there) and serves {@code service},
     * counting refused requests in {@code metrics}.
     */
    public static ControlSocket open(Path path, ControlService service, NodeMetrics metrics) throws IOException {
        Path socket = path.toAbsolutePath();
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } else {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException("control socket directory " + dir + " is writable by others ("
                        + PosixFilePermissions.toString(mode) + "): anyone could put their own socket there; use a "
                        + "directory only root writes");
            }
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.readAttributes(socket, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isOther()) {
                throw new IOException(socket + " exists and is no socket: not replacing it");
            }
            Files.delete(socket); // a node that stopped without closing left it
        }
        Path staging = Files.createTempDirectory(dir, ".control-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = staging.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(bound);
            throw e;
        } finally {
            Files.deleteIfExists(staging);
        }
        ControlSocket control = new ControlSocket(socket, service, server, metrics);
        control.acceptor.start();
        log.info("control socket on {} (root only)", socket);
        return control;
    }

    /** Where the socket is. */
    public Path path() {
        return path;
    }

    /** Requests refused, by reason ({@code too-long}, {@code not-json}, {@code unknown-op}, {@code bad-argument}). */
    public Map<String, Long> refused() {
        Map<String, Long> out = new TreeMap<>();
        refused.forEach((k, v) -> {
            if (v.getLongValue() > 0) {
                out.put(k, v.getLongValue());
            }
        });
        return out;
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                workers.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("control socket {}: {}", path, e.toString());
                }
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client; InputStream in = Channels.newInputStream(client); OutputStream out = Channels.newOutputStream(client)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    if (line.size() >= MAX_REQUEST_BYTES) {
                        answer(out, refuse("too-long", "a request is one line of at most " + MAX_REQUEST_BYTES + " bytes"));
                        return; // the rest of the line cannot be told from the next request
                    }
                    line.write(b);
                    continue;
                }
                answer(out, handle(line.toString(StandardCharsets.UTF_8)));
                line.reset();
            }
        } catch (IOException e) {
            log.debug("control socket {}: a client went: {}", path, e.toString());
        }
    }

    private static void answer(OutputStream out, ControlAnswer answer) throws IOException {
        out.write(JSON.writeValueAsBytes(answer));
        out.write('\n');
        out.flush();
    }

    /** The answer to one request line. */
    ControlAnswer handle(String line) {
        ControlRequest request;
        try {
            request = JSON.readValue(line, ControlRequest.class);
        } catch (JsonProcessingException e) {
            return refuse("not-json", "a request is one JSON object such as {\"op\":\"status\"} or "
                    + "{\"op\":\"ping\",\"target\":\"site2\",\"count\":3}: " + e.getOriginalMessage());
        }
        if (request == null || request.op() == null) {
            return refuse("unknown-op", "a request names its op: status or ping");
        }
        try {
            switch (request.op()) {
                case "status" -> {
                    return ControlAnswer.of(service.status());
                }
                case "ping" -> {
                    int count = request.count() == null ? 1 : request.count();
                    if (request.target() == null || request.target().isBlank() || request.target().length() > 253) {
                        return refuse("bad-argument", "ping needs a target: a site name, ring address or host IP");
                    }
                    if (count < 1 || count > ControlRequest.MAX_COUNT) {
                        return refuse("bad-argument", "count: 1 to " + ControlRequest.MAX_COUNT + " (got " + count + ")");
                    }
                    return ControlAnswer.of(service.ping(request.target(), count));
                }
                default -> {
                    return refuse("unknown-op", "unknown op '" + shorten(request.op()) + "': status or ping");
                }
            }
        } catch (IllegalArgumentException e) {
            return ControlAnswer.error(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ControlAnswer.error("the node is stopping");
        } catch (Exception e) {
            log.warn("control socket {}: {} failed: {}", path, request.op(), e.toString());
            return ControlAnswer.error(request.op() + " failed: " + e.getMessage());
        }
    }

    private ControlAnswer refuse(String reason, String error) {
        long n = Metrics.incremented(refused.get(reason));
        if (Long.bitCount(n) == 1) {
            log.info("control socket {}: refused a request ({}, {} so far): {}", path, reason, n, error);
        }
        return ControlAnswer.error(error);
    }

    private static String shorten(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }

    /** Stops serving and removes the socket file. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.debug("control socket {}: {}", path, e.toString());
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("cannot remove control socket {}: {}", path, e.getMessage());
        }
    }
}
