package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.ping;
import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.PathChanged;
import io.ringswitch.overlay.underlay.TcpLinks;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP links: two nodes' secure layers that talk over TCP paths only (the handshake and records
 * framed on a stream), streams that are not envelopes, and idle connections. Real loopback sockets.
 */
class SecureTcpTest {
    private SecureNodes nodes;

    @BeforeEach
    void setUp() {
        nodes = new SecureNodes();
    }

    @AfterEach
    void tearDown() {
        nodes.close();
    }

    private static TcpLinks.Counters tcp(SecureNodes.Node n) throws Exception {
        return n.onLoop(n.tcp::counters);
    }

    @Test
    void twoNodesHandshakeAndTalkOverTcpOnly() throws Exception {
        try (SecureNodes.Node a = nodes.nodeWithTcp("a", 60); SecureNodes.Node b = nodes.nodeWithTcp("b", 60)) {
            PeerPath.Tcp bForA = new PeerPath.Tcp(b.endpoint());
            SecureNodes.send(a, bForA, ping(a, 1));
            InboundMessage first = b.messages.poll(10, TimeUnit.SECONDS);
            assertEquals(ping(a, 1), first.message());
            // b knows a by the connection a dialled: its remote address, a TCP path.
            PeerPath.Tcp aForB = (PeerPath.Tcp) first.from();
            assertEquals(a.endpoint().getAddress(), aForB.endpoint().getAddress());
            SecureNodes.send(b, aForB, ping(b, 2));
            InboundMessage reply = a.messages.poll(5, TimeUnit.SECONDS);
            assertEquals(ping(b, 2), reply.message());
            assertEquals(bForA, reply.from());
            SecureNodes.send(a, bForA, ping(a, 3));
            assertEquals(ping(a, 3), b.messages.poll(5, TimeUnit.SECONDS).message());

            assertTrue(a.sent.isEmpty() && b.sent.isEmpty(), "no UDP datagram left either node");
            assertEquals(1, a.stats().handshakes());
            assertEquals(1, b.stats().handshakes());
            assertEquals(1, tcp(a).dialled());
            assertEquals(1, tcp(b).accepted());
            assertEquals(0, tcp(b).dialled(), "b's reply took the connection a opened");
            assertEquals(1, (int) a.onLoop(a.tcp::connections));
        }
    }

    @Test
    void aStreamThatIsNotEnvelopesIsClosedAndCounted() throws Exception {
        try (SecureNodes.Node b = nodes.nodeWithTcp("b", 60)) {
            for (byte[] garbage : new byte[][] {
                    "GET / HTTP/1.1\r\nHost: b\r\n\r\n".getBytes(),
                    // The magic, then a length over the envelope's limit.
                    {0x52, 0x53, 1, 3, (byte) 0xff, (byte) 0xff, 0, 0, 1, 2, 3}}) {
                try (Socket s = new Socket()) {
                    s.connect(b.endpoint(), 2000);
                    s.setSoTimeout(5000);
                    OutputStream out = s.getOutputStream();
                    out.write(garbage);
                    out.flush();
                    InputStream in = s.getInputStream();
                    assertEquals(-1, in.read(), "b closes the connection");
                }
            }
            assertTrue(await(() -> tcp(b).malformed() == 2, 5), "counted: " + tcp(b).malformed());
            assertTrue(await(() -> b.onLoop(b.tcp::connections) == 0, 5));
            assertEquals(0, b.exceptions.get(), "nothing escaped into the pipeline");
            assertTrue(b.messages.isEmpty());
        }
    }

    @Test
    void anIdleConnectionCloses() throws Exception {
        try (SecureNodes.Node a = nodes.nodeWithTcp("a", 1); SecureNodes.Node b = nodes.nodeWithTcp("b", 1)) {
            SecureNodes.send(a, new PeerPath.Tcp(b.endpoint()), ping(a, 1));
            assertEquals(ping(a, 1), b.messages.poll(10, TimeUnit.SECONDS).message());
            assertTrue(await(() -> a.onLoop(a.tcp::connections) == 0 && b.onLoop(b.tcp::connections) == 0, 5),
                    "both ends closed the idle connection");
            assertTrue(tcp(a).closedIdle() + tcp(b).closedIdle() >= 1);
            b.moves.clear();
            // A new message dials again, from a new port: the session at b follows the new
            // connection (it roams) and the ring is told the new TCP path first.
            SecureNodes.send(a, new PeerPath.Tcp(b.endpoint()), ping(a, 2));
            InboundMessage again = b.messages.poll(10, TimeUnit.SECONDS);
            assertEquals(ping(a, 2), again.message());
            assertEquals(2, tcp(a).dialled());
            PathChanged moved = b.moves.poll(1, TimeUnit.SECONDS);
            assertEquals(new PathChanged(a.address(), again.from()), moved);
            assertTrue(again.from() instanceof PeerPath.Tcp);
            assertEquals(1, b.stats().handshakes(), "the same session");
        }
    }

    @Test
    void aConnectionThatCannotBeMadeDropsWhatWaitedAndCountsIt() throws Exception {
        try (SecureNodes.Node a = nodes.nodeWithTcp("a", 60)) {
            InetSocketAddress nobody;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, a.endpoint().getAddress())) {
                nobody = (InetSocketAddress) s.getLocalSocketAddress();
            }
            SecureNodes.send(a, new PeerPath.Tcp(nobody), ping(a, 1));
            assertTrue(await(() -> tcp(a).failed() >= 1, 5), "the refused connection is counted");
            assertTrue(await(() -> a.onLoop(a.tcp::connections) == 0, 2));
        }
    }
}
