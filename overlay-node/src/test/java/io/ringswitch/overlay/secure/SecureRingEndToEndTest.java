package io.ringswitch.overlay.secure;

import static io.ringswitch.overlay.secure.SecureNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.ringswitch.overlay.EventLoopScheduler;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.security.SourceSignatures;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The node's wiring of this parts on real loopback sockets, as {@code OverlayNode} does
 * it: ring nodes over the secure layer, routed messages signed by their source, the secure
 * layer's {@code SEALED} payloads carried by the ring's router. A frame sent to a site's
 * {@link PeerPath.Routed} path arrives sealed end to end, from that site's certificate; a probe and
 * a broadcast arrive with their signatures checked.
 */
class SecureRingEndToEndTest {
    private static final byte[] KNOWN = "a frame with a known payload over the ring".getBytes(StandardCharsets.US_ASCII);

    @Test
    void framesProbesAndBroadcastsCrossASignedRingEndToEnd() throws Exception {
        try (SecureNodes nodes = new SecureNodes();
             SecureNodes.Node a = nodes.node("a"); SecureNodes.Node b = nodes.node("b"); SecureNodes.Node c = nodes.node("c")) {
            BlockingQueue<RingAddress> probes = new LinkedBlockingQueue<>();
            BlockingQueue<RingAddress> broadcasts = new LinkedBlockingQueue<>();
            RingNode ringA = ring(a, List.of(), probes, broadcasts);
            RingNode ringB = ring(b, List.of(a.endpoint()), probes, broadcasts);
            RingNode ringC = ring(c, List.of(a.endpoint()), probes, broadcasts);
            assertTrue(await(() -> a.onLoop(() -> ringA.links().size() == 2) && b.onLoop(() -> ringB.links().size() == 2)
                    && c.onLoop(() -> ringC.links().size() == 2), 20), "a ring of three");

            a.onLoop(() -> {
                ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(
                        WireFormat.HEADROOM + KNOWN.length + WireFormat.TAILROOM);
                frame.writerIndex(WireFormat.HEADROOM).readerIndex(WireFormat.HEADROOM).writeBytes(KNOWN);
                a.transport.sendFrame(new PeerPath.Routed(b.address()), frame);
                ringA.send(c.address(), RoutingMode.EXACT, PayloadTypes.PROBE, KNOWN, false);
                ringA.broadcast(PayloadTypes.PROBE, KNOWN);
                return null;
            });
            InboundFrame f = b.frames.poll(10, TimeUnit.SECONDS);
            byte[] got = new byte[f.frame().readableBytes()];
            f.frame().readBytes(got);
            f.frame().release();
            assertEquals(new String(KNOWN, StandardCharsets.US_ASCII), new String(got, StandardCharsets.US_ASCII));
            assertEquals(new PeerPath.Routed(a.address()), f.from());
            assertEquals(a.address(), f.peer());
            assertEquals(a.address(), probes.poll(5, TimeUnit.SECONDS), "the probe, its signature checked at c");
            assertEquals(a.address(), broadcasts.poll(5, TimeUnit.SECONDS));
            assertEquals(a.address(), broadcasts.poll(5, TimeUnit.SECONDS), "the broadcast at b and c");
            for (RingNode ring : List.of(ringA, ringB, ringC)) {
                assertEquals(0, a.onLoop(() -> ring.counters().forgedSource()));
            }
            for (SecureNodes.Node n : List.of(a, b, c)) {
                n.onLoop(() -> {
                    n.ring.stop(false);
                    return null;
                });
            }
        }
    }

    /** A ring node on {@code n}, wired as the overlay node wires it. */
    private static RingNode ring(SecureNodes.Node n, List<InetSocketAddress> bootstrap, BlockingQueue<RingAddress> probes,
                                 BlockingQueue<RingAddress> broadcasts) throws Exception {
        RingNode ring = new RingNode(new Contact(n.address(), n.endpoint()), RingConfig.defaults(),
                new EventLoopScheduler(n.channel.eventLoop()), n.transport, new Random(7));
        ring.authenticate(new SourceSignatures(n.identity, Instant::now));
        ring.register(PayloadTypes.SEALED, m -> n.security.fromRing(m.from(), m.payload()));
        ring.register(PayloadTypes.PROBE, new PayloadHandler() {
            @Override
            public void delivered(RingMessage.Routed message) {
                probes.add(message.from());
            }

            @Override
            public void broadcastDelivered(RingAddress origin, byte[] payload) {
                broadcasts.add(origin);
            }
        });
        n.ring = ring;
        n.onLoop(() -> {
            n.security.carrier((site, datagram) -> ring.send(site, RoutingMode.EXACT, PayloadTypes.SEALED, datagram, false));
            ring.start(bootstrap);
            return null;
        });
        return ring;
    }
}
