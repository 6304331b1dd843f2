package io.ringswitch.controller.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.api.AddressPool;
import io.ringswitch.controller.api.DhcpStats;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.packet.InternetChecksum;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.OFPort;

/** The DHCP server against a shared in-memory pool: what each client is offered, granted, refused and why. */
class DhcpServerTest {
    private static final byte[] SERVER_MAC = {2, 0x52, 1, 2, 3, 4};
    private static final byte[] MAC_A = {2, 0, 0, 0, 0, 0x0a};
    private static final byte[] MAC_B = {2, 0, 0, 0, 0, 0x0b};
    static final int SERVER = ip("10.77.255.254");
    private static final OFPort PORT = OFPort.of(1);

    static int ip(String dotted) {
        return org.projectfloodlight.openflow.types.IPv4Address.of(dotted).getInt();
    }

    /** The pool every server of a test shares: create-if-absent semantics, as the DHT's. */
    static class FakePool implements AddressPool {
        final Map<Integer, byte[]> held = new HashMap<>();
        final Map<Integer, byte[]> announced = new HashMap<>();
        final List<Integer> cancelled = new ArrayList<>();

        @Override
        public CompletableFuture<Claim> claim(int ip, byte[] holder, long ttlMillis, boolean keep) {
            byte[] now = held.putIfAbsent(ip, holder);
            byte[] winner = now == null ? holder : now;
            return CompletableFuture.completedFuture(new Claim(Arrays.equals(winner, holder), winner,
                    () -> cancelled.add(ip)));
        }

        @Override
        public CompletableFuture<byte[]> holder(int ip) {
            return CompletableFuture.completedFuture(held.get(ip));
        }

        @Override
        public CompletableFuture<byte[]> announcedBy(int ip) {
            return CompletableFuture.completedFuture(announced.get(ip));
        }
    }

    /** What the server decided: reply frames by port, and bindings as "leased port mac ip" lines. */
    static final class Recorder implements DhcpServer.Outcomes {
        final List<ByteBuf> frames = new ArrayList<>();
        final List<OFPort> ports = new ArrayList<>();
        final List<String> bindings = new ArrayList<>();

        @Override
        public void reply(OFPort port, byte[] frame) {
            ports.add(port);
            frames.add(Unpooled.wrappedBuffer(frame));
        }

        @Override
        public void leased(OFPort port, byte[] mac, int ip) {
            bindings.add("leased " + port + " " + mac[5] + " " + DhcpFrames.format(ip));
        }

        @Override
        public void leaseEnded(OFPort port, byte[] mac, int ip) {
            bindings.add("ended " + port + " " + mac[5] + " " + DhcpFrames.format(ip));
        }
    }

    static SwitchSettings.Dhcp config(String first, String last) {
        return new SwitchSettings.Dhcp(ip("10.77.0.0"), 16, ip(first), ip(last), SERVER, 0, List.of(), 600);
    }

    private final FakePool pool = new FakePool();
    private final Recorder out = new Recorder();
    private final List<ByteBuf> toPort = out.frames;
    private long now = 1000;

    private DhcpServer server(String range) {
        String[] r = range.split("-");
        return new DhcpServer(config(r[0], r[1]), SERVER_MAC, 1360, () -> now, pool, Runnable::run, out);
    }

    /** A client's DHCP message in a frame, as a client sends it from 0.0.0.0 (or ciaddr) to the broadcast address. */
    static ByteBuf frame(byte[] mac, int type, int ciaddr, int requested, int serverId, boolean broadcastFlag) {
        ByteBuf dhcp = Unpooled.buffer(300);
        dhcp.writeByte(1).writeByte(1).writeByte(6).writeByte(0).writeInt(0x1234_5678).writeShort(0)
                .writeShort(broadcastFlag ? 0x8000 : 0).writeInt(ciaddr).writeInt(0).writeInt(0).writeInt(0)
                .writeBytes(mac).writeZero(10 + 192).writeInt(DhcpCodec.MAGIC_COOKIE);
        dhcp.writeByte(53).writeByte(1).writeByte(type);
        if (requested != 0) {
            dhcp.writeByte(50).writeByte(4).writeInt(requested);
        }
        if (serverId != 0) {
            dhcp.writeByte(54).writeByte(4).writeInt(serverId);
        }
        dhcp.writeByte(55).writeByte(3).writeByte(1).writeByte(3).writeByte(26).writeByte(255);
        return udp(mac, ciaddr, 68, 67, dhcp);
    }

    /** A UDP datagram from {@code mac} and {@code source} to the broadcast address, in a frame. */
    static ByteBuf udp(byte[] mac, int source, int srcPort, int dstPort, ByteBuf payload) {
        ByteBuf f = Unpooled.buffer(400);
        f.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1}).writeBytes(mac).writeShort(0x0800);
        f.writeByte(0x45).writeByte(0).writeShort(28 + payload.readableBytes()).writeInt(0).writeByte(64).writeByte(17)
                .writeShort(0).writeInt(source).writeInt(-1);
        f.writeShort(srcPort).writeShort(dstPort).writeShort(8 + payload.readableBytes()).writeShort(0).writeBytes(payload);
        return f;
    }

    /** The DHCP message of a reply frame, checked for sane IPv4 and UDP headers and checksums. */
    static DhcpMessage decodeReply(ByteBuf f) throws DhcpCodec.Malformed {
        assertEquals(0x0800, f.getUnsignedShort(12));
        assertArrayEquals(SERVER_MAC, bytes(f, 6, 6));
        assertEquals(SERVER, f.getInt(14 + 12), "from the server's address");
        assertEquals(0, InternetChecksum.finish(InternetChecksum.add(0, f, 14, 20)), "IPv4 header checksum");
        int udpLength = f.getUnsignedShort(14 + 20 + 4);
        long sum = DhcpFrames.pseudoHeader(f, 14, udpLength);
        assertEquals(0, InternetChecksum.finish(InternetChecksum.add(sum, f, 34, udpLength)), "UDP checksum");
        assertEquals(67, f.getUnsignedShort(34));
        assertEquals(68, f.getUnsignedShort(36));
        return DhcpCodec.decode(f, 42, udpLength - 8);
    }

    /** The one reply the server sent, out of the asking port. */
    private DhcpMessage reply() throws DhcpCodec.Malformed {
        assertEquals(1, toPort.size(), "one reply");
        assertEquals(List.of(PORT), out.ports, "out of the asking port");
        out.ports.clear();
        return decodeReply(toPort.remove(0));
    }

    static byte[] bytes(ByteBuf f, int at, int n) {
        byte[] b = new byte[n];
        f.getBytes(at, b);
        return b;
    }

    private int lease(DhcpServer server, byte[] mac) throws Exception {
        server.take(PORT, frame(mac, DhcpMessage.DISCOVER, 0, 0, 0, false));
        DhcpMessage offer = reply();
        assertEquals(DhcpMessage.OFFER, offer.type());
        server.take(PORT, frame(mac, DhcpMessage.REQUEST, 0, offer.yiaddr(), SERVER, false));
        DhcpMessage ack = reply();
        assertEquals(DhcpMessage.ACK, ack.type());
        assertEquals(offer.yiaddr(), ack.yiaddr());
        return ack.yiaddr();
    }

    @Test
    void aClientIsOfferedAnAddressOfThePoolAndGetsItWithTheOverlayMtu() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        server.take(PORT, frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        DhcpMessage offer = reply();
        assertEquals(DhcpMessage.OFFER, offer.type());
        assertTrue(Integer.compareUnsigned(offer.yiaddr() - ip("10.77.200.1"), 254) < 0, DhcpFrames.format(offer.yiaddr()));
        assertEquals(SERVER, offer.address(DhcpMessage.OPT_SERVER_ID));
        assertArrayEquals(new byte[] {5, 0x50}, offer.options().get(DhcpMessage.OPT_MTU), "option 26: 1360");
        assertEquals(ip("255.255.0.0"), offer.address(DhcpMessage.OPT_SUBNET_MASK));
        assertEquals(600, offer.address(DhcpMessage.OPT_LEASE_TIME));
        assertEquals(300, offer.address(DhcpMessage.OPT_RENEWAL_TIME));
        server.take(PORT, frame(MAC_A, DhcpMessage.REQUEST, 0, offer.yiaddr(), SERVER, false));
        DhcpMessage ack = reply();
        assertEquals(DhcpMessage.ACK, ack.type());
        assertEquals(offer.yiaddr(), ack.yiaddr());
        DhcpStats st = server.stats(0);
        assertEquals(1, st.leaseCount());
        assertEquals(DhcpFrames.format(ack.yiaddr()), st.leases().get(0).ip());
        assertEquals("02:00:00:00:00:0a", st.leases().get(0).mac());
    }

    @Test
    void repliesGoToTheClientsMacOrToEveryoneWhenItAsksForBroadcast() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        server.take(PORT, frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        ByteBuf unicast = toPort.get(0);
        assertArrayEquals(MAC_A, bytes(unicast, 0, 6));
        int offered = reply().yiaddr();
        assertEquals(offered, unicast.getInt(14 + 16), "to yiaddr");
        server.take(PORT, frame(MAC_B, DhcpMessage.DISCOVER, 0, 0, 0, true));
        ByteBuf broadcast = toPort.get(0);
        assertArrayEquals(new byte[] {-1, -1, -1, -1, -1, -1}, bytes(broadcast, 0, 6));
        assertEquals(-1, broadcast.getInt(14 + 16));
        reply();
    }

    @Test
    void twoSitesSharingThePoolNeverGiveOneAddressToTwoClients() throws Exception {
        DhcpServer site1 = server("10.77.200.1-10.77.200.4");
        DhcpServer site2 = server("10.77.200.1-10.77.200.4");
        List<Integer> given = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] mac = {2, 0, 0, 0, 1, (byte) i};
            given.add(lease(i % 2 == 0 ? site1 : site2, mac));
        }
        assertEquals(4, given.stream().distinct().count(), given.toString());
        site2.take(PORT, frame(new byte[] {2, 0, 0, 0, 1, 9}, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertTrue(toPort.isEmpty(), "a full pool offers nothing");
        assertEquals(1, site2.stats(0).exhausted());
    }

    @Test
    void aClientKeepsItsAddressAcrossARestartOfItsNode() throws Exception {
        int ip = lease(server("10.77.200.1-10.77.200.254"), MAC_A);
        DhcpServer restarted = server("10.77.200.1-10.77.200.254");
        // Renewing (RFC 2131 §4.3.2): unicast REQUEST with ciaddr, no server id, no requested address.
        restarted.take(PORT, frame(MAC_A, DhcpMessage.REQUEST, ip, 0, 0, false));
        DhcpMessage ack = reply();
        assertEquals(DhcpMessage.ACK, ack.type());
        assertEquals(ip, ack.yiaddr());
        assertEquals(ip, ack.ciaddr());
        // And rediscovering after losing its own state, it is offered the same address first.
        restarted.take(PORT, frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertEquals(ip, reply().yiaddr());
    }

    @Test
    void anAddressLeasedToAnotherClientIsRefusedWithANak() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int ip = lease(server, MAC_A);
        server.take(PORT, frame(MAC_B, DhcpMessage.REQUEST, 0, ip, 0, false));
        DhcpMessage nak = reply();
        assertEquals(DhcpMessage.NAK, nak.type());
        assertEquals(0, nak.yiaddr());
        server.take(PORT, frame(MAC_B, DhcpMessage.REQUEST, 0, ip("10.77.1.1"), 0, false));
        assertEquals(DhcpMessage.NAK, reply().type(), "outside the pool");
        assertEquals(2, server.stats(0).naks());
    }

    @Test
    void anAddressInUseByAStaticHostIsNotOfferedAndIsReportedAsAConflict() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.2");
        pool.announced.put(ip("10.77.200.1"), MAC_B);
        pool.announced.put(ip("10.77.200.2"), MAC_B);
        server.take(PORT, frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertTrue(toPort.isEmpty());
        DhcpStats st = server.stats(0);
        assertTrue(st.conflicts() >= 2, st.toString());
        assertEquals("02:00:00:00:00:0b", st.lastConflicts().get(0).mac());
        pool.announced.remove(ip("10.77.200.2"));
        server.take(PORT, frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertEquals(ip("10.77.200.2"), reply().yiaddr());
    }

    @Test
    void aHostThatTakesAnAddressLeasedToAnotherIsReported() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int ip = lease(server, MAC_A);
        // MAC_B announces the address by gratuitous ARP.
        server.addressSeen(ip, MAC_B);
        DhcpStats st = server.stats(0);
        assertEquals(1, st.conflicts());
        assertEquals(DhcpFrames.format(ip), st.lastConflicts().get(0).ip());
        assertEquals("02:00:00:00:00:0a", st.lastConflicts().get(0).leasedTo());
        server.addressSeen(ip, MAC_A);
        assertEquals(1, server.stats(0).conflicts(), "the holder itself is no conflict");
    }

    @Test
    void aDeclinedAddressIsNotOfferedAgain() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int ip = lease(server, MAC_A);
        server.take(PORT, frame(MAC_A, DhcpMessage.DECLINE, 0, ip, SERVER, false));
        assertEquals(1, server.stats(0).declines());
        pool.held.remove(ip);
        server.take(PORT, frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertNotEquals(ip, reply().yiaddr());
    }

    @Test
    void anAckBindsTheHostAndReleaseExpiryAndDeclineUnbindIt() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int a = lease(server, MAC_A);
        assertEquals(List.of("leased 1 10 " + DhcpFrames.format(a)), out.bindings);
        out.bindings.clear();
        server.take(PORT, frame(MAC_A, DhcpMessage.RELEASE, a, 0, SERVER, false));
        assertEquals(List.of("ended 1 10 " + DhcpFrames.format(a)), out.bindings);
        assertTrue(pool.cancelled.contains(a), "the kept claim is let go");
        assertEquals(0, server.stats(0).leaseCount());

        out.bindings.clear();
        int b = lease(server, MAC_B);
        out.bindings.clear();
        now += 599_000;
        server.expire();
        assertEquals(List.of(), out.bindings, "not yet run out");
        now += 2_000;
        server.expire();
        assertEquals(List.of("ended 1 11 " + DhcpFrames.format(b)), out.bindings);

        out.bindings.clear();
        pool.held.clear();
        int c = lease(server, MAC_A);
        out.bindings.clear();
        server.take(PORT, frame(MAC_A, DhcpMessage.DECLINE, 0, c, SERVER, false));
        assertEquals(List.of("ended 1 10 " + DhcpFrames.format(c)), out.bindings);
    }

    @Test
    void aRenewalFromAnotherPortMovesTheBinding() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int a = lease(server, MAC_A);
        out.bindings.clear();
        OFPort moved = OFPort.of(7);
        server.take(moved, frame(MAC_A, DhcpMessage.REQUEST, a, 0, 0, false));
        assertEquals(List.of(moved), out.ports, "the ACK leaves the port it was asked on");
        assertEquals(List.of("ended 1 10 " + DhcpFrames.format(a), "leased 7 10 " + DhcpFrames.format(a)), out.bindings);
    }

    @Test
    void aLateAnswerOfThePoolIsHandledOnTheServersThread() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        DhcpServer server = new DhcpServer(config("10.77.200.1", "10.77.200.254"), SERVER_MAC, 1360, () -> now, pool,
                queued::add, out);
        server.take(PORT, frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertTrue(toPort.isEmpty(), "nothing decided on the pool's thread");
        while (!queued.isEmpty()) {
            queued.remove(0).run();
        }
        assertEquals(DhcpMessage.OFFER, reply().type());
    }

    @Test
    void malformedMessagesAreDroppedAndCountedNeverThrown() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        ByteBuf good = frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false);
        ByteBuf truncated = good.copy(0, 14 + 28 + 100);
        truncated.setShort(14 + 20 + 4, 108);
        server.take(PORT, truncated);
        assertEquals(1, server.stats(0).malformed());
        Random random = new Random(9);
        for (int i = 0; i < 20_000; i++) {
            ByteBuf f = good.copy();
            int flips = 1 + random.nextInt(8);
            for (int j = 0; j < flips; j++) {
                int at = 14 + 20 + 8 + random.nextInt(f.readableBytes() - 42);
                f.setByte(at, random.nextInt(256));
            }
            if (random.nextInt(4) == 0) {
                f.writerIndex(42 + random.nextInt(f.readableBytes() - 42));
            }
            server.take(PORT, f);
            toPort.clear();
        }
        assertTrue(server.stats(0).malformed() > 1000, server.stats(0).toString());
    }
}
