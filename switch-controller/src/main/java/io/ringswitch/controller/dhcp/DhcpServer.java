package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.overlay.api.Ipv4;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.NodeStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
    /** The server MAC's first four and last two bytes, to test every frame's destination without allocating. */
    private final int serverMacHigh;
    private final short serverMacLow;
    private final int server;
    private final int first;
    private final int size;
    private final int mtu;
    private final long leaseMillis;
    private final NodeConfig.Dhcp config;
    private final Map<Integer, Lease> leases = new HashMap<>();
    private final Map<String, Offer> offers = new HashMap<>();
    private final Map<Integer, Long> declined = new HashMap<>();
    private final LeaseConflicts conflicts;
    private long discovers;
    private long offered;
    private long requests;
    private long acks;
    private long naks;
    private long declines;
    private long releases;
    private long informs;
    private long malformed;
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
        this.serverMacHigh = ByteBuffer.wrap(serverMac).getInt();
        this.serverMacLow = ByteBuffer.wrap(serverMac).getShort(4);
        this.server = config.serverAddress();
        this.first = config.poolFirst();
        this.size = config.poolLast() - config.poolFirst() + 1;
        this.mtu = mtu;
        this.leaseMillis = config.leaseSeconds() * 1000L;
        this.conflicts = new LeaseConflicts(clock);
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
                write(ArpResponder.reply(alloc, frame, server, serverMac));
                return true;
            }
            return false;
        }
        boolean toServer = frame.getInt(at) == serverMacHigh && frame.getShort(at + 4) == serverMacLow;
        int udp = DhcpFrames.dhcpPayload(frame, at);
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
            if (Long.bitCount(exhausted) == 1) {
                log.warn("no address to offer {}: {} candidates of the pool {} are taken ({} times so far)",
                        HEX.formatHex(m.chaddr()), candidates.size(), config.pool(), exhausted);
            }
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
        if (conflicts.checkedLately(ip, mac)) {
            return;
        }
        pool.holder(ip).thenAccept(holder -> {
            if (holder != null && holder.length >= 6 && !Arrays.equals(Arrays.copyOf(holder, 6), mac)) {
                conflict(ip, mac, holder, "announced by a host that did not lease it");
            }
        });
    }

    private void conflict(int ip, byte[] mac, byte[] holder, String what) {
        conflicts.report(ip, mac, holder == null ? null : describe(holder), what);
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
        return DhcpFrames.options(config, 0, mtu, (int) (leaseMillis / 1000));
    }

    private Map<Integer, byte[]> options(int type) {
        return DhcpFrames.options(config, type, mtu, 0);
    }

    private void reply(DhcpMessage m, int type, int ciaddr, int yiaddr, Map<Integer, byte[]> rest) {
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
        o.putAll(rest);
        send(m, ciaddr, yiaddr, o, false);
    }

    private void send(DhcpMessage m, int ciaddr, int yiaddr, Map<Integer, byte[]> options, boolean broadcast) {
        write(DhcpFrames.reply(alloc, m, serverMac, server, ciaddr, yiaddr, options, broadcast));
    }

    private void write(ByteBuf frame) {
        try {
            port.write(frame);
        } finally {
            frame.release();
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
                requests, acks, naks, declines, releases, informs, malformed, conflicts.count(), unavailable, exhausted,
                list, conflicts.recent());
    }
}
