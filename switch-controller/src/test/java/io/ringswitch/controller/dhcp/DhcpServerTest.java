package io.ringswitch.overlay.forwarding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.api.Ipv4;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.offload.Checksums;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The DHCP server against a shared in-memory pool: what each client is offered, granted, refused and why. */
class DhcpServerTest {
    private static final byte[] SERVER_MAC = {2, 0x52, 1, 2, 3, 4};
    private static final byte[] MAC_A = {2, 0, 0, 0, 0, 0x0a};
    private static final byte[] MAC_B = {2, 0, 0, 0, 0, 0x0b};
    private static final int SERVER = Ipv4.parse("10.77.255.254");

    /** The pool every server of a test shares: create-if-absent semantics, as the DHT's. */
    static final class FakePool implements DhcpServer.AddressPool {
        final Map<Integer, byte[]> held = new HashMap<>();
        final Map<Integer, byte[]> announced = new HashMap<>();

        @Override
        public CompletableFuture<DhcpServer.Claim> claim(int ip, byte[] holder, long ttlMillis, boolean keep) {
            byte[] now = held.putIfAbsent(ip, holder);
            byte[] winner = now == null ? holder : now;
            return CompletableFuture.completedFuture(new DhcpServer.Claim(Arrays.equals(winner, holder), winner,
                    () -> { }));
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

    private final FakePool pool = new FakePool();
    private final List<ByteBuf> toPort = new ArrayList<>();
    private long now = 1000;

    private DhcpServer server(String range) throws NodeConfig.ConfigException {
        NodeConfig.Dhcp config = config(range);
        return new DhcpServer(PooledByteBufAllocator.DEFAULT, () -> now, config, SERVER_MAC, 1360, pool,
                frame -> toPort.add(Unpooled.copiedBuffer(frame)));
    }

    static NodeConfig.Dhcp config(String range) throws NodeConfig.ConfigException {
        NodeConfig c = new NodeConfig("s1", "127.0.0.1:5800", null, null, null, null, new NodeConfig.Bridge("br0", null),
                null, null, null, new NodeConfig.Dhcp("10.77.0.0/16", range, 600, null, null, null), null, null).checked("test");
        return c.dhcp();
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
        return udp(mac, ciaddr, dhcp);
    }

    static ByteBuf udp(byte[] mac, int source, ByteBuf payload) {
        ByteBuf f = Unpooled.buffer(400);
        f.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1}).writeBytes(mac).writeShort(0x0800);
        f.writeByte(0x45).writeByte(0).writeShort(28 + payload.readableBytes()).writeInt(0).writeByte(64).writeByte(17)
                .writeShort(0).writeInt(source).writeInt(-1);
        f.writeShort(68).writeShort(67).writeShort(8 + payload.readableBytes()).writeShort(0).writeBytes(payload);
        return f;
    }

    /** The reply the server wrote: its DHCP message, checked for sane IPv4 and UDP headers and checksums. */
    private DhcpMessage reply() throws DhcpCodec.Malformed {
        assertEquals(1, toPort.size(), "one reply");
        ByteBuf f = toPort.remove(0);
        assertEquals(0x0800, f.getUnsignedShort(12));
        assertArrayEquals(SERVER_MAC, bytes(f, 6, 6));
        assertEquals(0, Checksums.finish(Checksums.add(0, f, 14, 20)), "IPv4 header checksum");
        int udpLength = f.getUnsignedShort(14 + 20 + 4);
        long sum = Checksums.pseudoHeader(f, 14, false, 17, udpLength);
        assertEquals(0, Checksums.finish(Checksums.add(sum, f, 34, udpLength)), "UDP checksum");
        assertEquals(67, f.getUnsignedShort(34));
        assertEquals(68, f.getUnsignedShort(36));
        return DhcpCodec.decode(f, 42, udpLength - 8);
    }

    private static byte[] bytes(ByteBuf f, int at, int n) {
        byte[] b = new byte[n];
        f.getBytes(at, b);
        return b;
    }

    private int lease(DhcpServer server, byte[] mac) throws Exception {
        assertTrue(server.take(frame(mac, DhcpMessage.DISCOVER, 0, 0, 0, false)));
        DhcpMessage offer = reply();
        assertEquals(DhcpMessage.OFFER, offer.type());
        server.take(frame(mac, DhcpMessage.REQUEST, 0, offer.yiaddr(), SERVER, false));
        DhcpMessage ack = reply();
        assertEquals(DhcpMessage.ACK, ack.type());
        assertEquals(offer.yiaddr(), ack.yiaddr());
        return ack.yiaddr();
    }

    @Test
    void aClientIsOfferedAnAddressOfThePoolAndGetsItWithTheOverlayMtu() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        server.take(frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        DhcpMessage offer = reply();
        assertEquals(DhcpMessage.OFFER, offer.type());
        assertTrue(Integer.compareUnsigned(offer.yiaddr() - Ipv4.parse("10.77.200.1"), 254) < 0, Ipv4.format(offer.yiaddr()));
        assertEquals(SERVER, offer.address(DhcpMessage.OPT_SERVER_ID));
        assertArrayEquals(new byte[] {5, 0x50}, offer.options().get(DhcpMessage.OPT_MTU), "option 26: 1360");
        assertEquals(Ipv4.parse("255.255.0.0"), offer.address(DhcpMessage.OPT_SUBNET_MASK));
        assertEquals(600, offer.address(DhcpMessage.OPT_LEASE_TIME));
        assertEquals(300, offer.address(DhcpMessage.OPT_RENEWAL_TIME));
        server.take(frame(MAC_A, DhcpMessage.REQUEST, 0, offer.yiaddr(), SERVER, false));
        DhcpMessage ack = reply();
        assertEquals(DhcpMessage.ACK, ack.type());
        assertEquals(offer.yiaddr(), ack.yiaddr());
        NodeStatus.DhcpStats st = server.stats();
        assertEquals(1, st.leaseCount());
        assertEquals(Ipv4.format(ack.yiaddr()), st.leases().get(0).ip());
        assertEquals("02:00:00:00:00:0a", st.leases().get(0).mac());
    }

    @Test
    void repliesGoToTheClientsMacOrToEveryoneWhenItAsksForBroadcast() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        server.take(frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        ByteBuf unicast = toPort.get(0);
        assertArrayEquals(MAC_A, bytes(unicast, 0, 6));
        int offered = reply().yiaddr();
        assertEquals(offered, unicast.getInt(14 + 16), "to yiaddr");
        server.take(frame(MAC_B, DhcpMessage.DISCOVER, 0, 0, 0, true));
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
        site2.take(frame(new byte[] {2, 0, 0, 0, 1, 9}, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertTrue(toPort.isEmpty(), "a full pool offers nothing");
        assertEquals(1, site2.stats().exhausted());
    }

    @Test
    void aClientKeepsItsAddressAcrossARestartOfItsNode() throws Exception {
        int ip = lease(server("10.77.200.1-10.77.200.254"), MAC_A);
        DhcpServer restarted = server("10.77.200.1-10.77.200.254");
        // Renewing (RFC 2131 §4.3.2): unicast REQUEST with ciaddr, no server id, no requested address.
        restarted.take(frame(MAC_A, DhcpMessage.REQUEST, ip, 0, 0, false));
        DhcpMessage ack = reply();
        assertEquals(DhcpMessage.ACK, ack.type());
        assertEquals(ip, ack.yiaddr());
        assertEquals(ip, ack.ciaddr());
        // And rediscovering after losing its own state, it is offered the same address first.
        restarted.take(frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertEquals(ip, reply().yiaddr());
    }

    @Test
    void anAddressLeasedToAnotherClientIsRefusedWithANak() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int ip = lease(server, MAC_A);
        server.take(frame(MAC_B, DhcpMessage.REQUEST, 0, ip, 0, false));
        DhcpMessage nak = reply();
        assertEquals(DhcpMessage.NAK, nak.type());
        assertEquals(0, nak.yiaddr());
        server.take(frame(MAC_B, DhcpMessage.REQUEST, 0, Ipv4.parse("10.77.1.1"), 0, false));
        assertEquals(DhcpMessage.NAK, reply().type(), "outside the pool");
        assertEquals(2, server.stats().naks());
    }

    @Test
    void anAddressInUseByAStaticHostIsNotOfferedAndIsReportedAsAConflict() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.2");
        pool.announced.put(Ipv4.parse("10.77.200.1"), MAC_B);
        pool.announced.put(Ipv4.parse("10.77.200.2"), MAC_B);
        server.take(frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertTrue(toPort.isEmpty());
        NodeStatus.DhcpStats st = server.stats();
        assertTrue(st.conflicts() >= 2, st.toString());
        assertEquals("02:00:00:00:00:0b", st.lastConflicts().get(0).mac());
        pool.announced.remove(Ipv4.parse("10.77.200.2"));
        server.take(frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertEquals(Ipv4.parse("10.77.200.2"), reply().yiaddr());
    }

    @Test
    void aHostThatTakesAnAddressLeasedToAnotherIsReported() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int ip = lease(server, MAC_A);
        // MAC_B announces the address by gratuitous ARP.
        assertEquals(false, server.take(ArpResponderTest.arp(1, MAC_B, ip, new byte[6], ip)));
        NodeStatus.DhcpStats st = server.stats();
        assertEquals(1, st.conflicts());
        assertEquals(Ipv4.format(ip), st.lastConflicts().get(0).ip());
        assertEquals("02:00:00:00:00:0a", st.lastConflicts().get(0).leasedTo());
        assertEquals(false, server.take(ArpResponderTest.arp(1, MAC_A, ip, new byte[6], ip)));
        assertEquals(1, server.stats().conflicts(), "the holder itself is no conflict");
    }

    @Test
    void aDeclinedAddressIsNotOfferedAgain() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        int ip = lease(server, MAC_A);
        server.take(frame(MAC_A, DhcpMessage.DECLINE, 0, ip, SERVER, false));
        assertEquals(1, server.stats().declines());
        pool.held.remove(ip);
        server.take(frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false));
        assertNotEquals(ip, reply().yiaddr());
    }

    @Test
    void theServersAddressIsAnsweredByArpWithTheServersMac() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        assertTrue(server.take(ArpResponderTest.arp(1, MAC_A, Ipv4.parse("10.77.200.9"), new byte[6], SERVER)));
        ByteBuf r = toPort.remove(0);
        assertArrayEquals(MAC_A, bytes(r, 0, 6));
        assertEquals(2, r.getUnsignedShort(20));
        assertArrayEquals(SERVER_MAC, bytes(r, 22, 6));
        assertEquals(SERVER, r.getInt(28));
        assertEquals(false, server.take(ArpResponderTest.arp(1, MAC_A, Ipv4.parse("10.77.200.9"), new byte[6],
                Ipv4.parse("10.77.1.1"))), "other ARP goes on");
    }

    @Test
    void malformedMessagesAreDroppedAndCountedNeverThrown() throws Exception {
        DhcpServer server = server("10.77.200.1-10.77.200.254");
        ByteBuf good = frame(MAC_A, DhcpMessage.DISCOVER, 0, 0, 0, false);
        ByteBuf truncated = good.copy(0, 14 + 28 + 100);
        truncated.setShort(14 + 20 + 4, 108);
        assertTrue(server.take(truncated));
        assertEquals(1, server.stats().malformed());
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
            server.take(f);
            toPort.clear();
        }
        assertTrue(server.stats().malformed() > 1000, server.stats().toString());
    }

    @Test
    void configsWithAPoolOutsideTheSubnetAreRefused() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(NodeConfig.ConfigException.class,
                () -> config("10.78.0.1-10.78.0.9"));
        assertTrue(e.getMessage().contains("dhcp.pool"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(NodeConfig.ConfigException.class,
                () -> config("10.77.255.250-10.77.255.254"));
        assertTrue(e.getMessage().contains("dhcp"), e.getMessage());
    }
}
