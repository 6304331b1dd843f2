package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.overlay.api.Ipv4;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.offload.Checksums;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DHCP server (RFC 2131) for the hosts on this site's bridge, with one pool shared by every
 * site: an address is offered and granted only once the {@link AddressPool} (the DHT's
 * create-if-absent) says it is free or already this client's, so two sites never give one address
 * to two clients, and a client keeps its address across a node restart (the lease lives in the
 * DHT, not here). Addresses announced by hosts that did not lease them (static addresses) are
 * skipped and reported as conflicts. The node answers as {@code server} with a MAC of its own;
 * nothing DHCP crosses the ring. Owned by the node's event loop.
 */
public final class DhcpServer {
    private static final Logger log = LoggerFactory.getLogger(DhcpServer.class);
    static final long OFFER_HOLD_MILLIS = 60_000;
    static final long DECLINED_MILLIS = 600_000;
    static final int CANDIDATES = 8;
    static final int MAX_LEASES = 4096;
    static final int CONFLICTS_KEPT = 16;
    private static final int SERVER_PORT = 67;
    private static final int CLIENT_PORT = 68;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    /** The pool every site shares (the DHT): who holds an address, and who announced one. */
    public interface AddressPool {
        /**
         * Takes {@code ip} for {@code holder} for {@code ttlMillis} if it is free or already
         * {@code holder}'s; kept (renewed before it expires) until cancelled when {@code keep}.
         * Fails when the pool cannot be asked (no ring).
         */
        CompletableFuture<Claim> claim(int ip, byte[] holder, long ttlMillis, boolean keep);

        /** The holder of {@code ip}'s lease, or null. */
        CompletableFuture<byte[]> holder(int ip);

        /** The MAC of the host that announced {@code ip} on the LAN (its ARP), or null. */
        CompletableFuture<byte[]> announcedBy(int ip);
    }

    /** The pool's answer: granted, or the value of whoever holds the address; {@code cancel} lets a kept claim go. */
    public record Claim(boolean granted, byte[] holder, Runnable cancel) {
    }

    private record Lease(byte[] holder, long expires, Runnable cancel) {
    }

    private record Offer(int ip, long expires) {
    }

    private final ByteBufAllocator alloc;
    private final LongSupplier clock;
    private final AddressPool pool;
    private final FrameForwarder.Port port;
    private final byte[] serverMac;
    private final int server;
    private final int first;
    private final int size;
    private final int mask;
    private final int mtu;
    private final long leaseMillis;
    private final NodeConfig.Dhcp config;
    private final Map<Integer, Lease> leases = new HashMap<>();
    private final Map<String, Offer> offers = new HashMap<>();
    private final Map<Integer, Long> declined = new HashMap<>();
    private final Map<Long, Long> checked = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > 1024;
        }
    };
    private final ArrayDeque<NodeStatus.DhcpConflict> conflicts = new ArrayDeque<>();
    private long discovers;
    private long offered;
    private long requests;
    private long acks;
    private long naks;
    private long declines;
    private long releases;
    private long informs;
    private long malformed;
    private long conflictCount;
    private long unavailable;
    private long exhausted;

    public DhcpServer(ByteBufAllocator alloc, LongSupplier clock, NodeConfig.Dhcp config, byte[] serverMac, int mtu,
                      AddressPool pool, FrameForwarder.Port port) {
        this.alloc = alloc;
        this.clock = clock;
        this.config = config;
        this.pool = pool;
        this.port = port;
        this.serverMac = serverMac.clone();
        this.server = config.serverAddress();
        this.first = config.poolFirst();
        this.size = config.poolLast() - config.poolFirst() + 1;
        this.mask = (int) (0xffffffffL << (32 - config.prefixLength()));
        this.mtu = mtu;
        this.leaseMillis = config.leaseSeconds() * 1000L;
    }

    /**
     * A frame from the port: DHCP to a server, ARP for the server's address, or anything sent to
     * the server's MAC is handled here and goes no further (true). ARP from a host is also checked
     * against the leases (a static address inside the pool).
     */
    boolean take(ByteBuf frame) {
        int at = frame.readerIndex();
        if (ArpResponder.isArp(frame)) {
            int senderIp = frame.getInt(at + 28);
            if (senderIp != 0) {
                hostSeen(senderIp, mac(frame, at + 22));
            }
            if (frame.getUnsignedShort(at + 20) == 1 && frame.getInt(at + 38) == server) {
                answerArp(frame);
                return true;
            }
            return false;
        }
        boolean toServer = Arrays.equals(mac(frame, at), serverMac);
        int udp = dhcpPayload(frame, at);
        if (udp < 0) {
            return toServer;
        }
        int length = frame.getUnsignedShort(udp + 4) - 8;
        if (length < 0 || udp + 8 + length > frame.writerIndex()) {
            refuse("UDP length " + (length + 8) + " beyond the frame");
            return true;
        }
        try {
            request(DhcpCodec.decode(frame, udp + 8, length));
        } catch (DhcpCodec.Malformed e) {
            refuse(e.getMessage());
        }
        return true;
    }

    /** The UDP header of an untagged IPv4 datagram to the DHCP server port, or -1. */
    private static int dhcpPayload(ByteBuf frame, int at) {
        if (frame.readableBytes() < 14 + 20 + 8 || frame.getUnsignedShort(at + 12) != 0x0800) {
            return -1;
        }
        int l3 = at + 14;
        int ihl = (frame.getUnsignedByte(l3) & 0x0f) * 4;
        if (frame.getUnsignedByte(l3) >> 4 != 4 || ihl < 20 || frame.getUnsignedByte(l3 + 9) != 17
                || (frame.getUnsignedShort(l3 + 6) & 0x3fff) != 0 || l3 + ihl + 8 > frame.writerIndex()) {
            return -1;
        }
        return frame.getUnsignedShort(l3 + ihl + 2) == SERVER_PORT ? l3 + ihl : -1;
    }

    private void refuse(String why) {
        malformed++;
        if (Long.bitCount(malformed) == 1) {
            log.warn("dropped a malformed DHCP message: {} ({} so far)", why, malformed);
        }
    }

    private void request(DhcpMessage m) {
        if (m.op() != DhcpMessage.BOOTREQUEST || m.giaddr() != 0) {
            // Replies, and requests through a relay agent (another LAN's), are not ours to answer.
            refuse(m.op() != DhcpMessage.BOOTREQUEST ? "a BOOTREPLY from a host" : "relayed (giaddr set)");
            return;
        }
        switch (m.type()) {
            case DhcpMessage.DISCOVER -> discover(m);
            case DhcpMessage.REQUEST -> request(m, m.address(DhcpMessage.OPT_SERVER_ID));
            case DhcpMessage.DECLINE -> decline(m);
            case DhcpMessage.RELEASE -> release(m);
            case DhcpMessage.INFORM -> inform(m);
            default -> refuse("message type " + m.type() + " from a client");
        }
    }

    private void discover(DhcpMessage m) {
        discovers++;
        String client = HEX.formatHex(m.clientKey());
        long now = clock.getAsLong();
        Offer earlier = offers.get(client);
        List<Integer> candidates = new ArrayList<>();
        if (earlier != null && earlier.expires > now) {
            candidates.add(earlier.ip);
        }
        byte[] holder = holder(m);
        leases.forEach((ip, lease) -> {
            if (Arrays.equals(lease.holder, holder)) {
                candidates.add(ip);
            }
        });
        int requested = m.address(DhcpMessage.OPT_REQUESTED_IP);
        if (inPool(requested)) {
            candidates.add(requested);
        }
        long h = mix(Arrays.hashCode(m.clientKey()));
        for (int i = 0; i < CANDIDATES && i < size; i++) {
            candidates.add(first + (int) Math.floorMod(h + i, (long) size));
        }
        offerFirstFree(m, holder, candidates, 0);
    }

    /** Tries the candidates in turn: not declined, not announced by another host, free in the pool. */
    private void offerFirstFree(DhcpMessage m, byte[] holder, List<Integer> candidates, int i) {
        if (i >= candidates.size()) {
            exhausted++;
            log.warn("no address to offer {}: {} candidates of the pool {} are taken", HEX.formatHex(m.chaddr()),
                    candidates.size(), config.pool());
            return;
        }
        int ip = candidates.get(i);
        Long until = declined.get(ip);
        if (until != null && until > clock.getAsLong()) {
            offerFirstFree(m, holder, candidates, i + 1);
            return;
        }
        pool.announcedBy(ip).thenCompose(mac -> {
            if (mac != null && !Arrays.equals(mac, m.chaddr())) {
                conflict(ip, mac, null, "announced by a host with a static address; not offered");
                return CompletableFuture.completedFuture((Claim) null);
            }
            return pool.claim(ip, holder, OFFER_HOLD_MILLIS, false);
        }).whenComplete((claim, error) -> {
            if (error != null) {
                unavailable++;
                log.debug("the pool cannot be asked for {}: {}", Ipv4.format(ip), error.toString());
            } else if (claim != null && claim.granted()) {
                offers.put(HEX.formatHex(m.clientKey()), new Offer(ip, clock.getAsLong() + OFFER_HOLD_MILLIS));
                offered++;
                reply(m, DhcpMessage.OFFER, 0, ip, leaseOptions());
            } else {
                offerFirstFree(m, holder, candidates, i + 1);
            }
        });
    }

    /** A REQUEST: selecting (server id set), init-reboot (requested address) or renewing/rebinding (ciaddr). */
    private void request(DhcpMessage m, int serverId) {
        requests++;
        String client = HEX.formatHex(m.clientKey());
        if (serverId != 0 && serverId != server) {
            offers.remove(client);
            return;
        }
        int ip = m.ciaddr() != 0 ? m.ciaddr() : m.address(DhcpMessage.OPT_REQUESTED_IP);
        if (!inPool(ip)) {
            nak(m, ip == 0 ? "no address requested" : Ipv4.format(ip) + " is not in this LAN's pool");
            return;
        }
        byte[] holder = holder(m);
        Lease mine = leases.get(ip);
        if (mine != null && Arrays.equals(mine.holder, holder)) {
            // Renewing an address this node keeps for the client: the kept claim holds it.
            leases.put(ip, new Lease(holder, clock.getAsLong() + leaseMillis, mine.cancel));
            ack(m, ip);
            return;
        }
        pool.claim(ip, holder, leaseMillis, true).whenComplete((claim, error) -> {
            if (error != null) {
                unavailable++;
                return;
            }
            if (!claim.granted()) {
                claim.cancel().run();
                nak(m, Ipv4.format(ip) + " is leased to " + describe(claim.holder()));
                return;
            }
            offers.remove(client);
            Lease before = leases.put(ip, new Lease(holder, clock.getAsLong() + leaseMillis, claim.cancel()));
            if (before != null) {
                before.cancel.run();
            }
            if (leases.size() > MAX_LEASES) {
                log.warn("{} leases kept by this node: more than {}", leases.size(), MAX_LEASES);
            }
            ack(m, ip);
        });
    }

    private void ack(DhcpMessage m, int ip) {
        acks++;
        reply(m, DhcpMessage.ACK, m.ciaddr(), ip, leaseOptions());
        log.info("leased {} to {} for {} s", Ipv4.format(ip), HEX.formatHex(m.chaddr()), leaseMillis / 1000);
    }

    private void nak(DhcpMessage m, String why) {
        naks++;
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {DhcpMessage.NAK});
        o.put(DhcpMessage.OPT_SERVER_ID, bytes(server));
        o.put(DhcpMessage.OPT_MESSAGE, why.getBytes(StandardCharsets.US_ASCII));
        log.info("DHCPNAK to {}: {}", HEX.formatHex(m.chaddr()), why);
        send(m, 0, 0, o, true);
    }

    private void decline(DhcpMessage m) {
        declines++;
        int ip = m.address(DhcpMessage.OPT_REQUESTED_IP);
        if (inPool(ip)) {
            declined.put(ip, clock.getAsLong() + DECLINED_MILLIS);
            conflict(ip, m.chaddr(), null, "declined by the client: another host answers for it");
            letGo(ip, holder(m));
        }
    }

    private void release(DhcpMessage m) {
        releases++;
        letGo(m.ciaddr(), holder(m));
    }

    /** Stops keeping a lease; the pool's copy runs out at the end of its time to live. */
    private void letGo(int ip, byte[] holder) {
        Lease lease = leases.get(ip);
        if (lease != null && Arrays.equals(lease.holder, holder)) {
            leases.remove(ip);
            lease.cancel.run();
        }
    }

    private void inform(DhcpMessage m) {
        informs++;
        if (m.ciaddr() == 0) {
            refuse("DHCPINFORM without ciaddr");
            return;
        }
        Map<Integer, byte[]> o = options(DhcpMessage.ACK);
        send(m, m.ciaddr(), 0, o, false);
    }

    /** A host on the port said it has {@code ip} (its ARP): a conflict when another client leased it. */
    private void hostSeen(int ip, byte[] mac) {
        if (!inPool(ip)) {
            return;
        }
        Lease lease = leases.get(ip);
        if (lease != null) {
            if (!Arrays.equals(Arrays.copyOf(lease.holder, 6), mac)) {
                conflict(ip, mac, lease.holder, "announced by a host that did not lease it");
            }
            return;
        }
        long key = (ip & 0xffffffffL) << 16 ^ Arrays.hashCode(mac);
        long now = clock.getAsLong();
        Long at = checked.get(key);
        if (at != null && now - at < OFFER_HOLD_MILLIS) {
            return;
        }
        checked.put(key, now);
        pool.holder(ip).thenAccept(holder -> {
            if (holder != null && holder.length >= 6 && !Arrays.equals(Arrays.copyOf(holder, 6), mac)) {
                conflict(ip, mac, holder, "announced by a host that did not lease it");
            }
        });
    }

    private void conflict(int ip, byte[] mac, byte[] holder, String what) {
        conflictCount++;
        NodeStatus.DhcpConflict c = new NodeStatus.DhcpConflict(Ipv4.format(ip), HEX.formatHex(mac),
                holder == null ? null : describe(holder), what, clock.getAsLong());
        if (conflicts.size() == CONFLICTS_KEPT) {
            conflicts.removeFirst();
        }
        conflicts.addLast(c);
        log.warn("address conflict on {}: {} ({}{})", c.ip(), c.mac(), what,
                holder == null ? "" : "; leased to " + c.leasedTo());
    }

    /** Forgets leases whose clients stopped renewing, and offers not taken. */
    public void expire() {
        long now = clock.getAsLong();
        leases.values().removeIf(l -> {
            if (l.expires < now) {
                l.cancel.run();
                return true;
            }
            return false;
        });
        offers.values().removeIf(o -> o.expires < now);
        declined.values().removeIf(until -> until < now);
    }

    private boolean inPool(int ip) {
        return ip != 0 && Integer.compareUnsigned(ip - first, size) < 0;
    }

    private static byte[] holder(DhcpMessage m) {
        byte[] key = m.clientKey();
        byte[] v = Arrays.copyOf(m.chaddr(), 6 + Math.min(key.length, 64));
        System.arraycopy(key, 0, v, 6, v.length - 6);
        return v;
    }

    private static String describe(byte[] holder) {
        return holder == null || holder.length < 6 ? "another client" : HEX.formatHex(Arrays.copyOf(holder, 6));
    }

    private Map<Integer, byte[]> leaseOptions() {
        Map<Integer, byte[]> o = options(0);
        o.put(DhcpMessage.OPT_LEASE_TIME, bytes((int) (leaseMillis / 1000)));
        o.put(DhcpMessage.OPT_RENEWAL_TIME, bytes((int) (leaseMillis / 2000)));
        o.put(DhcpMessage.OPT_REBINDING_TIME, bytes((int) (leaseMillis * 7 / 8000)));
        return o;
    }

    private Map<Integer, byte[]> options(int type) {
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        if (type != 0) {
            o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
        }
        o.put(DhcpMessage.OPT_SERVER_ID, bytes(server));
        o.put(DhcpMessage.OPT_SUBNET_MASK, bytes(mask));
        o.put(DhcpMessage.OPT_MTU, new byte[] {(byte) (mtu >> 8), (byte) mtu});
        if (config.router() != null) {
            o.put(DhcpMessage.OPT_ROUTER, bytes(Ipv4.parse(config.router())));
        }
        if (!config.dns().isEmpty()) {
            byte[] all = new byte[4 * Math.min(config.dns().size(), 8)];
            for (int i = 0; i < all.length / 4; i++) {
                System.arraycopy(bytes(Ipv4.parse(config.dns().get(i))), 0, all, 4 * i, 4);
            }
            o.put(DhcpMessage.OPT_DNS, all);
        }
        return o;
    }

    private void reply(DhcpMessage m, int type, int ciaddr, int yiaddr, Map<Integer, byte[]> rest) {
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
        o.putAll(rest);
        send(m, ciaddr, yiaddr, o, false);
    }

    /** Writes a reply frame to the port, addressed as RFC 2131 §4.1 says (ciaddr, broadcast bit, yiaddr). */
    private void send(DhcpMessage m, int ciaddr, int yiaddr, Map<Integer, byte[]> options, boolean broadcast) {
        boolean toAll = broadcast || m.ciaddr() == 0 && (m.flags() & DhcpMessage.FLAG_BROADCAST) != 0;
        int dstIp = toAll ? -1 : m.ciaddr() != 0 ? m.ciaddr() : yiaddr;
        ByteBuf frame = alloc.directBuffer(600);
        try {
            frame.writeBytes(toAll ? new byte[] {-1, -1, -1, -1, -1, -1} : m.chaddr()).writeBytes(serverMac).writeShort(0x0800);
            int l3 = frame.writerIndex();
            frame.writeZero(20 + 8);
            int length = DhcpCodec.encodeReply(m, ciaddr, yiaddr, 0, options, frame);
            frame.setByte(l3, 0x45).setShort(l3 + 2, 28 + length).setByte(l3 + 8, 64).setByte(l3 + 9, 17);
            frame.setInt(l3 + 12, server).setInt(l3 + 16, dstIp);
            Checksums.ipv4Header(frame, l3, 20);
            int udp = l3 + 20;
            frame.setShort(udp, SERVER_PORT).setShort(udp + 2, CLIENT_PORT).setShort(udp + 4, 8 + length);
            long sum = Checksums.pseudoHeader(frame, l3, false, 17, 8 + length);
            int checksum = Checksums.finish(
                    Checksums.add(sum, frame, udp, 8 + length));
            frame.setShort(udp + 6, checksum == 0 ? 0xffff : checksum);
            port.write(frame);
        } finally {
            frame.release();
        }
    }

    /** Answers an ARP request for the server's address with the server's MAC (RFC 826). */
    private void answerArp(ByteBuf request) {
        int arp = request.readerIndex() + 14;
        ByteBuf r = alloc.directBuffer(60);
        try {
            r.writeBytes(request, arp + 8, 6).writeBytes(serverMac).writeShort(0x0806);
            r.writeShort(1).writeShort(0x0800).writeByte(6).writeByte(4).writeShort(2);
            r.writeBytes(serverMac).writeInt(server);
            r.writeBytes(request, arp + 8, 10);
            r.writeZero(60 - r.writerIndex());
            port.write(r);
        } finally {
            r.release();
        }
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h & Long.MAX_VALUE;
    }

    private static byte[] bytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] mac(ByteBuf frame, int at) {
        byte[] m = new byte[6];
        frame.getBytes(at, m);
        return m;
    }

    public NodeStatus.DhcpStats stats() {
        long now = clock.getAsLong();
        List<NodeStatus.DhcpLease> list = leases.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Integer::compareUnsigned))
                .limit(256)
                .map(e -> new NodeStatus.DhcpLease(Ipv4.format(e.getKey()), describe(e.getValue().holder),
                        Math.max(0, (e.getValue().expires - now) / 1000)))
                .toList();
        return new NodeStatus.DhcpStats(true, config.pool(), Ipv4.format(server), leases.size(), discovers, offered,
                requests, acks, naks, declines, releases, informs, malformed, conflictCount, unavailable, exhausted,
                list, List.copyOf(conflicts));
    }
}
