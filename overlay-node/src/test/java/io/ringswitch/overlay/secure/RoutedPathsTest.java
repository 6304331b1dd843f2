package io.ringswitch.overlay.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.underlay.WireFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutedPathsTest {

    @Test
    void aRoutedDatagramEntersTheLayerInADirectBufferAsUdpOnesDo() {
        // The frame a sealed record opens to is written to the TAP in place, and the TAP takes
        // direct buffers only: a heap buffer here lost every routed frame in a six-site lab.
        List<ByteBuf> received = new ArrayList<>();
        List<PeerPath> from = new ArrayList<>();
        RoutedPaths paths = new RoutedPaths((path, datagram) -> {
            from.add(path);
            received.add(datagram);
        }, new SecurityCounters());
        byte[] datagram = new byte[64];
        datagram[3] = (byte) WireFormat.TYPE_SEALED_FRAME;
        RingAddress source = RingAddress.ofName("site2");
        paths.fromRing(source, datagram);
        assertEquals(1, received.size());
        assertTrue(received.get(0).isDirect(), "a direct buffer");
        assertEquals(64, received.get(0).readableBytes());
        assertEquals(new PeerPath.Routed(source), from.get(0));
        received.get(0).release();
    }
}
