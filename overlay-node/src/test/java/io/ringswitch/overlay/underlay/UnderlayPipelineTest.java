package io.ringswitch.overlay.underlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The UDP pipeline on an {@link EmbeddedChannel}: what goes out comes back in, and junk is counted. */
class UnderlayPipelineTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 5800);
    private static final InetSocketAddress ME = new InetSocketAddress("192.0.2.1", 5800);
    private static final RingAddress A = RingAddress.ofName("a");
    private static final RingAddress B = RingAddress.ofName("b");

    private final List<InboundMessage> received = new ArrayList<>();
    private final List<InboundFrame> frames = new ArrayList<>();
    private int bursts;
    private final DatagramDecoder decoder = new DatagramDecoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(new UnderlayChannelInitializer(decoder,
            new RingInboundHandler.Receiver() {
                @Override
                public void message(InboundMessage message) {
                    received.add(message);
                }

                @Override
                public void frame(InboundFrame frame) {
                    frames.add(frame);
                }

                @Override
                public void burstEnd() {
                    bursts++;
                }
            }));

    private static List<RingMessage> samples() {
        return List.of(
                new RingMessage.LinkRequest(A, Claim.NEAR, 1, List.of(new Contact(B, PEER))),
                new RingMessage.Ping(A, 2, Claim.SHORTCUT),
                new RingMessage.Status(A, null, List.of()),
                new RingMessage.Routed(A, B, RoutingMode.EXACT, 60, 2, true, 3, PayloadTypes.FRAME, new byte[1380]),
                new RingMessage.Broadcast(A, 4, B, 9, PayloadTypes.FRAME, new byte[64]));
    }

    /** Writes a message out and returns the datagram that left. */
    private DatagramPacket send(RingMessage message) {
        assertTrue(channel.writeOutbound(new OutboundMessage(new PeerPath.Udp(PEER), message)));
        DatagramPacket out = channel.readOutbound();
        assertEquals(PEER, out.recipient());
        return out;
    }

    private void receive(ByteBuf content) {
        channel.writeInbound(new DatagramPacket(content, ME, PEER));
    }

    private long rejected(WireFormat.Reject reason) {
        return decoder.rejected(reason);
    }

    @Test
    void messagesForTcpAndRelayPathsLeaveAsPathDatagramsAndComeBackWithTheirPath() {
        for (PeerPath path : List.of(new PeerPath.Tcp(PEER), new PeerPath.Relay(B, A))) {
            for (RingMessage m : samples()) {
                assertTrue(channel.writeOutbound(new OutboundMessage(path, m)));
                PathDatagram out = channel.readOutbound();
                assertEquals(path, out.path());
                channel.writeInbound(new PathDatagram(out.content(), path));
                InboundMessage in = received.remove(0);
                assertEquals(path, in.from());
                assertEquals(m, in.message());
            }
        }
        assertFalse(channel.finish(), "nothing left unread");
    }

    @Test
    void whatIsSentIsReceivedWholeWithThePathItCameBy() {
        for (RingMessage m : samples()) {
            DatagramPacket out = send(m);
            receive(out.content());
            InboundMessage in = received.remove(0);
            assertEquals(new PeerPath.Udp(PEER), in.from());
            assertEquals(m, in.message());
        }
        assertFalse(channel.finish(), "nothing left unread");
    }

    @Test
    void garbageTruncatedAndOversizedDatagramsAreCountedByReasonAndDropped() {
        receive(Unpooled.wrappedBuffer("GET / HTTP/1.1\r\n\r\n".getBytes()));
        receive(Unpooled.wrappedBuffer(new byte[] {0x52, 0x53, 1}));
        ByteBuf routed = send(samples().get(3)).content();
        receive(routed.retainedSlice(routed.readerIndex(), routed.readableBytes() - 100));
        ByteBuf oversized = Unpooled.buffer(WireFormat.HEADER_LENGTH + WireFormat.MAX_PAYLOAD + 1);
        WireFormat.setHeader(oversized, 0, WireFormat.TYPE_RING, WireFormat.MAX_PAYLOAD + 1);
        oversized.writerIndex(WireFormat.HEADER_LENGTH + WireFormat.MAX_PAYLOAD + 1);
        receive(oversized);
        routed.release();
        assertTrue(received.isEmpty());
        assertEquals(1, rejected(WireFormat.Reject.BAD_MAGIC));
        assertEquals(2, rejected(WireFormat.Reject.TRUNCATED));
        assertEquals(1, rejected(WireFormat.Reject.OVERSIZED));
        assertFalse(channel.finish());
    }

    @Test
    void aGoodEnvelopeAroundABadMessageIsCountedAsMalformed() {
        ByteBuf datagram = Unpooled.buffer();
        datagram.writerIndex(WireFormat.HEADER_LENGTH);
        datagram.writeByte(77).writeZero(20);
        WireFormat.setHeader(datagram, 0, WireFormat.TYPE_RING, datagram.writerIndex() - WireFormat.HEADER_LENGTH);
        receive(datagram);
        assertTrue(received.isEmpty());
        assertEquals(1, rejected(WireFormat.Reject.MALFORMED_MESSAGE));
        assertFalse(channel.finish());
    }

    @Test
    void seededRandomAndMutatedDatagramsNeverThrowAndNeverLeakBuffers() {
        Random random = new Random(42);
        List<ByteBuf> good = new ArrayList<>();
        for (RingMessage m : samples()) {
            good.add(send(m).content());
        }
        for (int i = 0; i < 5000; i++) {
            ByteBuf base = good.get(random.nextInt(good.size()));
            ByteBuf copy = Unpooled.buffer(base.readableBytes()).writeBytes(base, base.readerIndex(), base.readableBytes());
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int at = random.nextInt(copy.readableBytes());
                copy.setByte(at, random.nextInt(256));
            }
            if (random.nextInt(4) == 0) {
                copy.writerIndex(random.nextInt(copy.writerIndex() + 1));
            }
            receive(copy);
            assertEquals(0, copy.refCnt(), "every datagram is released, accepted or not");
        }
        good.forEach(ByteBuf::release);
        long accepted = received.size() + frames.size();
        frames.forEach(f -> f.frame().release());
        long refused = java.util.Arrays.stream(WireFormat.Reject.values()).mapToLong(decoder::rejected).sum();
        assertTrue(accepted + refused >= 5000, "every datagram gives a message, a frame or a counted reject");
        assertNull(channel.readInbound());
        assertFalse(channel.finish());
    }

    @Test
    void aFrameSentInPlaceArrivesAsASliceWithThePathItCameBy() {
        ByteBuf read = Unpooled.directBuffer(WireFormat.HEADROOM + 100);
        read.setIndex(WireFormat.HEADROOM, WireFormat.HEADROOM).writeBytes(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0});
        read.writeZero(46);
        ByteBuf copyOfFrame = read.copy();
        UdpTransport transport = new UdpTransport(channel, false);
        transport.sendFrame(new PeerPath.Udp(PEER), read);
        DatagramPacket out = channel.readOutbound();
        assertTrue(out.content() == read, "the envelope was written in front of the frame, in the same buffer");
        assertEquals(WireFormat.HEADER_LENGTH + 60, out.content().readableBytes());
        receive(out.content());
        assertEquals(1, frames.size());
        InboundFrame frame = frames.get(0);
        assertEquals(new PeerPath.Udp(PEER), frame.from());
        assertEquals(copyOfFrame, frame.frame());
        frame.frame().release();
        copyOfFrame.release();
        assertEquals(0, read.refCnt(), "nothing holds the buffer once the frame is handled");
        assertTrue(bursts > 0);
        assertFalse(channel.finish());
    }

    @Test
    void segmentsWithoutGsoLeaveAsOneDatagramEachWithItsEnvelope() {
        int segment = WireFormat.HEADER_LENGTH + 100;
        ByteBuf segments = Unpooled.directBuffer(3 * segment);
        for (int i = 0; i < 3; i++) {
            segments.writeZero(WireFormat.HEADER_LENGTH);
            segments.writeBytes(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 8, 0});
            segments.writeZero(i == 2 ? 50 - 14 : 100 - 14);
        }
        new UdpTransport(channel, false).sendSegments(new PeerPath.Udp(PEER), segments, segment);
        for (int i = 0; i < 3; i++) {
            DatagramPacket out = channel.readOutbound();
            receive(out.content());
        }
        assertEquals(3, frames.size());
        assertEquals(List.of(100, 100, 50), frames.stream().map(f -> f.frame().readableBytes()).toList());
        frames.forEach(f -> f.frame().release());
        assertEquals(0, segments.refCnt());
        assertFalse(channel.finish());
    }

    @Test
    void aRunOfDatagramsReadAtOnceIsTakenApartByTheirEnvelopes() {
        // What UDP GRO hands over: datagrams of one peer back to back in one buffer.
        ByteBuf run = Unpooled.buffer();
        for (RingMessage m : samples()) {
            DatagramPacket out = send(m);
            run.writeBytes(out.content());
            out.release();
        }
        run.writeBytes(new byte[] {0x52, 0x53, 1});
        receive(run);
        assertEquals(samples(), received.stream().map(InboundMessage::message).toList());
        assertEquals(1, rejected(WireFormat.Reject.TRUNCATED), "the cut-off tail is refused and counted");
        assertFalse(channel.finish());
    }
}
