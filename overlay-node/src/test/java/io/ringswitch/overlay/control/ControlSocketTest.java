package io.ringswitch.overlay.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket: root only (socket 0600, its own directory 0700), bad requests answered with
 * an error and counted by reason, a planted file or a directory others write to refused, and the
 * socket file gone on close.
 */
class ControlSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @TempDir
    Path dir;
    private final List<ControlSocket> open = new ArrayList<>();

    private final ControlService service = new ControlService() {
        @Override
        public NodeStatus status() {
            return Statuses.ringOnly("site1", "ab".repeat(20), true, List.of(), new NodeStatus.DhtHoldings(3, 2, 1));
        }

        @Override
        public PingReport ping(String target, int count) {
            if (!target.equals("site2")) {
                throw new IllegalArgumentException("no site named '" + target + "'");
            }
            return new PingReport(target, "cd".repeat(20), List.of(new PingReport.Reply(1, "direct", "udp:192.0.2.2:5800",
                    null, 1, 1, 0.4, null)));
        }
    };

    @AfterEach
    void close() {
        open.forEach(ControlSocket::close);
    }

    private ControlSocket socket(Path path) throws IOException {
        ControlSocket s = ControlSocket.open(path, service);
        open.add(s);
        return s;
    }

    @Test
    void statusAndPingAreAnswered() throws Exception {
        Path path = socket(dir.resolve("run/site1.sock")).path();
        ControlAnswer status = ControlClient.ask(path, ControlRequest.status());
        assertTrue(status.ok());
        assertEquals("site1", status.status().name());
        assertEquals(new NodeStatus.DhtHoldings(3, 2, 1), status.status().dhtHoldings());
        ControlAnswer ping = ControlClient.ask(path, ControlRequest.ping("site2", 1));
        assertEquals("direct", ping.ping().replies().get(0).way());
        ControlAnswer unknown = ControlClient.ask(path, ControlRequest.ping("site9", 1));
        assertFalse(unknown.ok());
        assertTrue(unknown.error().contains("site9"), unknown.error());
    }

    @Test
    void theSocketAndTheDirectoryItMadeAreRootsOnly() throws Exception {
        Path path = socket(dir.resolve("run/site1.sock")).path();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    /**
     * Another user on the host connects to the socket in a directory everyone may enter: refused by
     * the socket's own mode.
     */
    @Test
    void anotherUserCannotConnect() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runuser")) && Files.isExecutable(Path.of("/usr/bin/python3"))
                && "root".equals(System.getProperty("user.name")), "needs root, runuser and python3");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path path = socket(shared.resolve("site1.sock")).path();
        String connect = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ntry:\n s.connect(sys.argv[1]); print('connected')\n"
                + "except PermissionError: print('refused')\n";
        Process p = new ProcessBuilder("/usr/sbin/runuser", "-u", "nobody", "--", "/usr/bin/python3", "-c", connect,
                path.toString()).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals("refused", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        } finally {
            p.destroyForcibly();
        }
        assertTrue(ControlClient.ask(path, ControlRequest.status()).ok(), "root still connects");
    }

    @Test
    void aDirectoryOthersMayWriteToIsRefused() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, () -> socket(open.resolve("site1.sock")));
        assertTrue(e.getMessage().contains("writable by others"), e.getMessage());
        assertFalse(Files.exists(open.resolve("site1.sock")));
    }

    @Test
    void aFileThatIsNoSocketIsNotReplaced() throws Exception {
        Path planted = Files.writeString(dir.resolve("site1.sock"), "keep me");
        assertThrows(IOException.class, () -> socket(planted));
        assertEquals("keep me", Files.readString(planted));
    }

    @Test
    void theSocketGoesOnCloseAndAStaleOneIsReplaced() throws Exception {
        Path path = dir.resolve("run/site1.sock");
        ControlSocket first = ControlSocket.open(path, service);
        first.close();
        assertFalse(Files.exists(path));
        // A node killed without closing leaves its socket file: the next one binds anew.
        try (var stale = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(path));
        }
        assertTrue(Files.exists(path));
        socket(path);
        assertTrue(ControlClient.ask(path, ControlRequest.status()).ok());
        assertEquals(List.of(), Files.list(path.getParent()).filter(f -> !f.equals(path)).toList(), "no staging left");
    }

    @Test
    void badRequestsGetAnErrorAndAreCountedByReason() throws Exception {
        ControlSocket socket = socket(dir.resolve("run/site1.sock"));
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket.path()));
            for (String bad : new String[] {"not json", "{\"op\":\"reboot\"}", "{\"op\":\"status\",\"x\":1}", "{}",
                    "{\"op\":\"ping\"}", "{\"op\":\"ping\",\"target\":\"site2\",\"count\":0}",
                    "{\"op\":\"ping\",\"target\":\"site2\",\"count\":100000}", "[1,2]"}) {
                ControlAnswer a = exchange(c, bad);
                assertFalse(a.ok(), bad);
                assertNotEquals(null, a.error(), bad);
            }
            assertTrue(exchange(c, "{\"op\":\"status\"}").ok(), "the connection still serves a good request");
        }
        assertEquals(Map.of("not-json", 3L, "unknown-op", 2L, "bad-argument", 3L), socket.refused());
    }

    @Test
    void aRequestLongerThanTheLimitIsRefusedAndTheConnectionClosed() throws Exception {
        ControlSocket socket = socket(dir.resolve("run/site1.sock"));
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket.path()));
            ControlAnswer a = exchange(c, "{\"op\":\"status\",\"pad\":\"" + "x".repeat(ControlSocket.MAX_REQUEST_BYTES) + "\"}");
            assertFalse(a.ok());
            assertTrue(a.error().contains(Integer.toString(ControlSocket.MAX_REQUEST_BYTES)), a.error());
            try {
                assertEquals(-1, c.read(ByteBuffer.allocate(1)), "closed");
            } catch (java.net.SocketException reset) {
                // Closed with the rest of the line unread: the kernel resets instead.
            }
        }
        assertEquals(Map.of("too-long", 1L), socket.refused());
    }

    private static ControlAnswer exchange(SocketChannel c, String line) throws IOException {
        ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            c.write(out);
        }
        return JSON.readValue(readLine(c), ControlAnswer.class);
    }

    private static byte[] readLine(SocketChannel c) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("closed before a whole answer");
            }
            if (one.get(0) == '\n') {
                return line.toByteArray();
            }
            line.write(one.get(0));
        }
    }
}
