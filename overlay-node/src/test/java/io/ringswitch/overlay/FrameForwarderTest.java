package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameForwarderTest {
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 5800);
    private static final InetSocketAddress C = new InetSocketAddress("127.0.0.3", 5800);
    private static final byte[] MAC_A = {2, 0, 0, 0, 0, 0x0a};
    private static final byte[] MAC_B = {2, 0, 0, 0, 0, 0x0b};
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};

    private record Sent(InetSocketAddress to, ByteBuf datagram) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<byte[]> toPort = new ArrayList<>();
    private final FrameForwarder forwarder = new FrameForwarder(new FrameForwarder.Links() {
        @Override
        public void send(InetSocketAddress to, ByteBuf datagram) {
            sent.add(new Sent(to, datagram));
        }

        @Override
        public void flush() {
        }
    }, frame -> {
        byte[] copy = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), copy);
        toPort.add(copy);
        return true;
    }, List.of(B, C));

    @AfterEach
    void releaseEverything() {
        // Each datagram handed over owns one reference: releasing them all frees every buffer.
        sent.forEach(s -> s.datagram().release());
        for (Sent s : sent) {
            assertEquals(0, s.datagram().refCnt(), "a buffer outlived the datagrams that shared it");
        }
    }

    private static ByteBuf fromTap(byte[] dst, byte[] src) {
        ByteBuf buf = Unpooled.directBuffer(WireFormat.HEADER_LENGTH + 64);
        buf.writerIndex(WireFormat.HEADER_LENGTH);
        buf.writeBytes(dst).writeBytes(src).writeShort(0x0800).writeZero(46);
        return buf;
    }

    private static ByteBuf fromPeer(byte[] dst, byte[] src) {
        ByteBuf frame = fromTap(dst, src);
        WireFormat.setHeader(frame, 0, WireFormat.TYPE_FRAME, frame.writerIndex() - WireFormat.HEADER_LENGTH);
        return frame;
    }

    @Test
    void unknownDestinationsGoToEveryPeer() {
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(List.of(B, C), sent.stream().map(Sent::to).toList());
        for (Sent s : sent) {
            assertEquals(WireFormat.TYPE_FRAME, WireFormat.decode(s.datagram().duplicate()));
        }
    }

    @Test
    void aMacLearnedFromAPeerIsSentOnlyThere() {
        ByteBuf in = fromPeer(MAC_A, MAC_B);
        forwarder.fromLink(C, in, 1000);
        in.release();
        assertEquals(1, toPort.size());
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(List.of(C), sent.stream().map(Sent::to).toList());
    }

    @Test
    void broadcastIsNeverTreatedAsLearned() {
        ByteBuf in = fromPeer(MAC_A, MAC_B);
        forwarder.fromLink(C, in, 1000);
        in.release();
        forwarder.fromPort(fromTap(BROADCAST, MAC_A));
        assertEquals(2, sent.size());
    }

    @Test
    void learnedMacsAgeOut() {
        ByteBuf in = fromPeer(MAC_A, MAC_B);
        forwarder.fromLink(C, in, 1000);
        in.release();
        forwarder.tick(1000 + FrameForwarder.MAC_AGING_MILLIS + 1, new byte[] {'n'}, Unpooled::buffer);
        assertEquals(0, forwarder.remoteMacs());
        sent.forEach(s -> s.datagram().release());
        sent.clear();
        forwarder.fromPort(fromTap(MAC_B, MAC_A));
        assertEquals(2, sent.size());
    }

    @Test
    void datagramsFromStrangersAndGarbageAreCountedNotDelivered() {
        ByteBuf stranger = fromPeer(MAC_A, MAC_B);
        forwarder.fromLink(new InetSocketAddress("127.0.0.9", 1), stranger, 1000);
        stranger.release();
        ByteBuf garbage = Unpooled.wrappedBuffer("not a datagram of ours".getBytes());
        forwarder.fromLink(B, garbage, 1000);
        ByteBuf groupSource = fromPeer(MAC_A, BROADCAST);
        forwarder.fromLink(B, groupSource, 1000);
        groupSource.release();
        assertTrue(toPort.isEmpty());
        assertEquals(1L, forwarder.counters().get("unknownSender"));
        assertEquals(1L, forwarder.counters().get("reject.BAD_MAGIC"));
        assertEquals(1L, forwarder.counters().get("groupSourceDropped"));
    }

    @Test
    void helloNamesThePeerAndMarksItUp() {
        ByteBuf hello = Unpooled.buffer();
        WireFormat.writeHello(hello, "site-b".getBytes());
        forwarder.fromLink(B, hello, 5000);
        Peer peer = forwarder.peers().get(0);
        assertEquals("site-b", peer.name);
        assertTrue(peer.isUp(6000, 6000));
        assertTrue(!forwarder.peers().get(1).isUp(6000, 6000));
    }
}
