package io.ringswitch.overlay.ring.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingMessageCodecTest {
    private static final RingAddress A = RingAddress.ofName("a");
    private static final RingAddress B = RingAddress.ofName("b");
    private static final List<Contact> CONTACTS = List.of(
            new Contact(A, new InetSocketAddress("192.0.2.1", 5800)),
            new Contact(B, new InetSocketAddress("2001:db8::1", 5801)));
    /** The endpoint an answer says its request came from: a public address behind a NAT. */
    private static final InetSocketAddress SEEN = new InetSocketAddress("198.51.100.7", 40123);
    private static final InetSocketAddress SEEN6 = new InetSocketAddress("2001:db8::7", 5800);

    static List<RingMessage> samples() {
        return List.of(
                new RingMessage.LinkRequest(A, Claim.NEAR, 42, CONTACTS),
                new RingMessage.LinkReply(B, Claim.SHORTCUT, true, 43, CONTACTS, SEEN),
                new RingMessage.LinkReply(B, Claim.SHORTCUT, true, 44, List.of(), SEEN6),
                new RingMessage.LinkReply(B, Claim.JOIN, false, -1, List.of(), null),
                new RingMessage.Ping(A, 7, Claim.NEAR),
                new RingMessage.Ping(A, 8, null),
                new RingMessage.Ping(A, 9, Claim.SHORTCUT, SEEN),
                new RingMessage.Pong(B, 7, Claim.SHORTCUT, SEEN),
                new RingMessage.Pong(B, 8, null, null),
                new RingMessage.Pong(B, 9, Claim.NEAR, SEEN6),
                new RingMessage.Status(A, Claim.NEAR, CONTACTS),
                new RingMessage.Status(A, null, List.of()),
                new RingMessage.Close(B, List.of()),
                new RingMessage.Routed(A, B, RoutingMode.NEAREST, 63, 1, true, 99, PayloadTypes.FRAME, new byte[] {1, 2, 3}),
                new RingMessage.Routed(A, B, RoutingMode.NEAREST_OTHER, 0, 255, false, Long.MIN_VALUE, 255, new byte[0]),
                new RingMessage.HopAck(A, 99),
                new RingMessage.Broadcast(B, 5, A, 10, PayloadTypes.FRAME, new byte[60]));
    }

    private static ByteBuf encode(RingMessage m) {
        ByteBuf buf = Unpooled.buffer();
        RingMessageCodec.encode(m, buf);
        return buf;
    }

    @Test
    void everyMessageRoundTripsAndItsSizeIsKnownWithoutEncoding() throws Exception {
        for (RingMessage m : samples()) {
            ByteBuf buf = encode(m);
            assertEquals(buf.readableBytes(), RingMessageCodec.sizeOf(m), m.getClass().getSimpleName());
            assertEquals(m, RingMessageCodec.decode(buf), "the whole record comes back");
        }
    }

    @Test
    void everyTruncationIsRejected() {
        for (RingMessage m : samples()) {
            ByteBuf whole = encode(m);
            for (int cut = 0; cut < whole.readableBytes(); cut++) {
                ByteBuf part = whole.slice(0, cut);
                assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(part),
                        m.getClass().getSimpleName() + " cut at " + cut);
            }
        }
    }

    @Test
    void trailingBytesUnknownTypesAndBadFieldsAreRejected() {
        ByteBuf trailing = encode(new RingMessage.Ping(A, 1, null)).writeByte(0);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(trailing));
        ByteBuf type = encode(new RingMessage.Ping(A, 1, null));
        type.setByte(0, 77);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(type));
        ByteBuf claim = encode(new RingMessage.LinkRequest(A, Claim.NEAR, 1, List.of()));
        claim.setByte(21, 0);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(claim));
        ByteBuf pingClaim = encode(new RingMessage.Ping(A, 1, null));
        pingClaim.setByte(29, 9);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(pingClaim));
        ByteBuf mode = encode(new RingMessage.Routed(A, B, RoutingMode.EXACT, 5, 0, false, 1, 2, new byte[0]));
        mode.setByte(41, 9);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(mode));
        ByteBuf flags = encode(new RingMessage.Routed(A, B, RoutingMode.EXACT, 5, 0, false, 1, 2, new byte[0]));
        flags.setByte(44, 0x80);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(flags));
    }

    @Test
    void countsAndLengthsAreBoundedBeforeAllocation() {
        ByteBuf many = Unpooled.buffer();
        many.writeByte(RingMessageCodec.CLOSE);
        A.write(many);
        many.writeByte(RingMessageCodec.MAX_CONTACTS + 1);
        RingMessageCodec.MalformedException e = assertThrows(RingMessageCodec.MalformedException.class,
                () -> RingMessageCodec.decode(many));
        assertTrue(e.getMessage().contains("contacts"), e.getMessage());
        ByteBuf huge = encode(new RingMessage.Routed(A, B, RoutingMode.EXACT, 5, 0, false, 1, 2, new byte[0]));
        huge.setShort(huge.writerIndex() - 2, 60_000);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(huge));
    }

    @Test
    void badContactsAreRejected() {
        ByteBuf family = encode(new RingMessage.Close(A, List.of(CONTACTS.get(0))));
        family.setByte(1 + 20 + 1 + 20, 5);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(family));
        ByteBuf port = encode(new RingMessage.Close(A, List.of(CONTACTS.get(0))));
        port.setShort(port.writerIndex() - 2, 0);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(port));
    }

    @Test
    void aSeenEndpointOfAnUnknownFamilyOrPortZeroIsRejected() {
        ByteBuf family = encode(new RingMessage.Pong(B, 1, null, SEEN));
        family.setByte(1 + 20 + 9, 5);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(family));
        ByteBuf port = encode(new RingMessage.LinkReply(B, Claim.NEAR, true, 1, List.of(), SEEN));
        port.setShort(port.writerIndex() - 2, 0);
        assertThrows(RingMessageCodec.MalformedException.class, () -> RingMessageCodec.decode(port));
    }

    @Test
    void connectPayloadsRoundTripAndRejectJunk() throws Exception {
        List<InetSocketAddress> four = List.of(new InetSocketAddress("10.0.0.3", 5800), SEEN, SEEN6,
                new InetSocketAddress("203.0.113.9", 5800));
        ConnectCodec.Connect c = new ConnectCodec.Connect(Claim.SHORTCUT, 77, A, null, four);
        assertEquals(c, ConnectCodec.decodeConnect(ConnectCodec.encodeConnect(c)));
        ConnectCodec.Connect joining = new ConnectCodec.Connect(Claim.NEAR, 78, A, B, List.of(SEEN));
        assertEquals(joining, ConnectCodec.decodeConnect(ConnectCodec.encodeConnect(joining)));
        ConnectCodec.ConnectReply r = new ConnectCodec.ConnectReply(-5, A, B, List.of(SEEN),
                List.of(new io.ringswitch.overlay.ring.Contact(A, SEEN), new io.ringswitch.overlay.ring.Contact(B, SEEN)));
        assertEquals(r, ConnectCodec.decodeConnectReply(ConnectCodec.encodeConnectReply(r)));
        ConnectCodec.ConnectReply none = new ConnectCodec.ConnectReply(6, A, B, List.of(), List.of());
        assertEquals(none, ConnectCodec.decodeConnectReply(ConnectCodec.encodeConnectReply(none)));
        // Issue 10: a TCP-only requester, an answerer whose NAT varies its port, both with the other flags.
        ConnectCodec.Connect tcpOnly = new ConnectCodec.Connect(Claim.TRAFFIC, 79, A, B, List.of(SEEN), true, false);
        assertEquals(tcpOnly, ConnectCodec.decodeConnect(ConnectCodec.encodeConnect(tcpOnly)));
        ConnectCodec.Connect varies = new ConnectCodec.Connect(Claim.NEAR, 80, A, null, four, false, true);
        assertEquals(varies, ConnectCodec.decodeConnect(ConnectCodec.encodeConnect(varies)));
        ConnectCodec.ConnectReply flagged = new ConnectCodec.ConnectReply(7, A, B, List.of(SEEN), List.of(), true, true);
        assertEquals(flagged, ConnectCodec.decodeConnectReply(ConnectCodec.encodeConnectReply(flagged)));
        ConnectCodec.ConnectReply withNeighbours = new ConnectCodec.ConnectReply(8, A, B, List.of(),
                List.of(new io.ringswitch.overlay.ring.Contact(B, SEEN)), false, true);
        assertEquals(withNeighbours, ConnectCodec.decodeConnectReply(ConnectCodec.encodeConnectReply(withNeighbours)));
        byte[] whole = ConnectCodec.encodeConnect(c);
        for (byte[] full : List.of(whole, ConnectCodec.encodeConnect(joining))) {
            for (int cut = 0; cut < full.length; cut++) {
                byte[] part = java.util.Arrays.copyOf(full, cut);
                assertThrows(RingMessageCodec.MalformedException.class, () -> ConnectCodec.decodeConnect(part),
                        "cut " + cut);
            }
        }
        byte[] reply = ConnectCodec.encodeConnectReply(r);
        for (int cut = 0; cut < reply.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(reply, cut);
            assertThrows(RingMessageCodec.MalformedException.class, () -> ConnectCodec.decodeConnectReply(part),
                    "cut " + cut);
        }
        List<byte[]> junk = new ArrayList<>(List.of(new byte[0], new byte[9], new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 1, 0}));
        // Five endpoints, then a flag nobody knows, then a trailing byte.
        ConnectCodec.Connect nowhere = new ConnectCodec.Connect(Claim.NEAR, 1, A, null, List.of());
        assertEquals(nowhere, ConnectCodec.decodeConnect(ConnectCodec.encodeConnect(nowhere)),
                "a requester that knows no endpoint of its own yet (bound to a wildcard) still asks");
        byte[] five = ConnectCodec.encodeConnect(c);
        five[1 + 8 + 20 + 1] = 5;
        junk.add(java.util.Arrays.copyOf(five, five.length + 7));
        byte[] flags = ConnectCodec.encodeConnect(c);
        flags[1 + 8 + 20] = 8;
        junk.add(flags);
        junk.add(java.util.Arrays.copyOf(whole, whole.length + 1));
        for (byte[] j : junk) {
            assertThrows(RingMessageCodec.MalformedException.class, () -> ConnectCodec.decodeConnect(j));
        }
        assertThrows(RingMessageCodec.MalformedException.class,
                () -> ConnectCodec.decodeConnectReply(java.util.Arrays.copyOf(reply, reply.length + 1)));
    }
}
