package io.ringswitch.overlay.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.EventLoopScheduler;
import io.ringswitch.overlay.StatusParts;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.privateoverlay.StandaloneRing;
import io.ringswitch.overlay.ring.echo.RingEcho;
import io.ringswitch.overlay.secure.SessionSettings;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import io.ringswitch.overlay.underlay.UnderlayTransport;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ringswitch status} and {@code ping} through the control socket of real ring nodes: three
 * secure rings on loopback UDP, each with its socket; the status shows each link over UDP with its
 * traffic both ways, and a ping by site name goes directly over the UDP link.
 */
class RingControlSocketTest {
    private final GroupCa ca = GroupCa.create("lab", NOW.minusSeconds(60), Duration.ofDays(1));
    private final List<AutoCloseable> open = new ArrayList<>();
    private final UnderlayTransport underlay = UnderlayTransport.choose(false);
    private static final Instant NOW = Instant.now();
    @TempDir
    Path dir;

    private NodeIdentity identity(String name) throws Exception {
        KeyPair key = GroupCa.newKeyPair();
        return new NodeIdentity(key.getPrivate(), NodeCertificate.verify(ca.issue(name, key.getPublic(), Optional.empty(),
                NOW.minusSeconds(30), Duration.ofDays(1)), ca.certificate(), NOW), ca.certificate());
    }

    @AfterEach
    void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // Closing the rest matters more.
            }
        }
        underlay.group().shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A ring node with its control socket: status from its links and DHT, pings by its echo. */
    private StandaloneRing node(String name, List<InetSocketAddress> bootstrap) throws Exception {
        StandaloneRing ring = StandaloneRing.start(identity(name), new InetSocketAddress("127.0.0.1", 0),
                bootstrap, underlay, SessionSettings.defaults());
        open.add(ring);
        EventLoopScheduler clock = new EventLoopScheduler(ring.loop());
        RingEcho echo = ring.loop().submit(() -> new RingEcho(ring.ring(), clock, new Random(), System::nanoTime)).get();
        RingPinger pinger = new RingPinger(ring.ring(), echo, ring.loop(), ip -> CompletableFuture.completedFuture(null),
                target -> ring.security().peerNamed(target));
        open.add(ControlSocket.open(dir.resolve(name + "/control.sock"), new ControlService() {
            @Override
            public NodeStatus status() throws Exception {
                return ring.loop().submit(() -> Statuses.ringOnly(name, ring.ring().address().toString(),
                        ring.ring().isConnected(), ring.ring().links().stream()
                                .map(l -> StatusParts.linkStatus(l, clock.nowMillis())).toList(),
                        StatusParts.dhtHoldings(ring.ring().dht()))).get(5, TimeUnit.SECONDS);
            }

            @Override
            public PingReport ping(String target, int count) throws Exception {
                try {
                    return pinger.ping(target, count).get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IllegalArgumentException refused ? refused : e;
                }
            }
        }));
        return ring;
    }

    @Test
    void statusAndPingOverTheSocketOfARealNode() throws Exception {
        StandaloneRing s1 = node("s1", List.of());
        StandaloneRing s2 = node("s2", List.of(s1.endpoint()));
        node("s3", List.of(s1.endpoint()));
        Path socket = dir.resolve("s1/control.sock");

        NodeStatus status = await(() -> {
            NodeStatus st = ControlClient.ask(socket, ControlRequest.status()).status();
            return st.links().size() == 2 && st.links().stream().allMatch(l -> l.recordsIn() > 0 && l.rttMillis() >= 0)
                    ? st : null;
        });
        assertEquals("s1", status.name());
        for (NodeStatus.LinkStatus link : status.links()) {
            assertEquals("udp", link.kind(), link.toString());
            assertTrue(link.bytesIn() > 0 && link.bytesOut() > 0 && link.recordsOut() > 0, link.toString());
        }

        ControlAnswer ping = ControlClient.ask(socket, ControlRequest.ping("s2", 2));
        assertTrue(ping.ok(), ping.error());
        assertEquals(s2.ring().address().toString(), ping.ping().address());
        for (PingReport.Reply r : ping.ping().replies()) {
            assertEquals("direct", r.way(), r.toString());
            assertTrue(r.path().startsWith("udp:127.0.0.1:"), r.path());
            assertEquals(1, r.hopsThere());
            assertTrue(r.rttMillis() > 0, r.toString());
            assertNull(r.error());
        }
        ControlAnswer unknown = ControlClient.ask(socket, ControlRequest.ping("s9", 1));
        assertTrue(!unknown.ok() && unknown.error().contains("s9"), unknown.toString());
    }

    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T await(Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s");
    }
}
