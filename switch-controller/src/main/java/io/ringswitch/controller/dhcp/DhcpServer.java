package io.ringswitch.controller.dhcp;

import io.netty.buffer.ByteBuf;
import io.ringswitch.controller.api.AddressPool;
import io.ringswitch.controller.api.DhcpStats;
import io.ringswitch.controller.api.SwitchSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.types.OFPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DHCP server (RFC 2131) for the hosts on this site's bridge, with one pool shared by every
 * site: an address is offered and granted only once the {@link AddressPool} (the DHT's
 * create-if-absent) says it is free or already this client's, so two sites never give one address
 * to two clients, and a client keeps its address across a node restart (the lease lives in the
 * DHT, not here). Addresses announced by hosts that did not lease them (static addresses) are
 * skipped and reported as conflicts. It turns client messages into reply frames for the port the
 * client asked on, and into bindings; it knows no OpenFlow. Owned by the switch channel's thread:
 * pool answers come back through {@code hop}.
 */
final class DhcpServer {
    private static final Logger log = LoggerFactory.getLogger(DhcpServer.class);
    static final long OFFER_HOLD_MILLIS = 60_000;
    static final long DECLINED_MILLIS = 600_000;
    static final int CANDIDATES = 8;
    static final int MAX_LEASES = 4096;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    /** What the server decided: a frame to send out of a port, an address bound to a host or unbound. */
    interface Outcomes {
        void reply(OFPort port, byte[] frame);

        void leased(OFPort port, byte[] mac, int ip);

        void leaseEnded(OFPort port, byte[] mac, int ip);

        /** The lease of {@code ip} was acknowledged to a client that sent host name {@code hostName} (option 12), or none (null). */
        default void named(int ip, byte[] hostName) {
        }
    }

    private final LongSupplier clock;
    private final AddressPool pool;
    private final Executor hop;
    private final Outcomes out;
    private final byte[] serverMac;
    private final int server;
    private final int first;
    private final int size;
    private final int mtu;
    private final long leaseMillis;
    private final SwitchSettings.Dhcp config;
    private final LeaseBook book = new LeaseBook();
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

    /**
     * @param hop runs the rest of a request on the server's thread once the pool has answered (the
     *            pool's futures complete on the overlay's thread)
     */
    DhcpServer(SwitchSettings.Dhcp config, byte[] serverMac, int mtu, LongSupplier clock, AddressPool pool, Executor hop,
               Outcomes out) {
        this.clock = clock;
        this.config = config;
        this.pool = pool;
        this.hop = hop;
        this.out = out;
        this.serverMac = serverMac.clone();
        this.server = config.server();
        this.first = config.poolFirst();
        this.size = config.poolLast() - config.poolFirst() + 1;
        this.mtu = mtu;
        this.leaseMillis = config.leaseSeconds() * 1000L;
        this.conflicts = new LeaseConflicts(clock);
    }

    /** A frame a client sent to a DHCP server (UDP port 67) from {@code port}: answered, or refused and counted. */
    void take(OFPort port, ByteBuf frame) {
        int at = frame.readerIndex();
        int udp = DhcpFrames.dhcpPayload(frame, at);
        if (udp < 0) {
            refuse("not a UDP datagram to port 67");
            return;
        }
        int length = frame.getUnsignedShort(udp + 4) - 8;
        if (length < 0 || udp + 8 + length > frame.writerIndex()) {
            refuse("UDP length " + (length + 8) + " beyond the frame");
            return;
        }
        DhcpMessage m;
        try {
            m = DhcpCodec.decode(frame, udp + 8, length);
        } catch (DhcpCodec.Malformed e) {
            refuse(e.getMessage());
            return;
        }
        byte[] source = new byte[6];
        frame.getBytes(at + 6, source);
        if (!Arrays.equals(source, m.chaddr())) {
            // No relay reaches us (giaddr is refused), so the client is the frame's sender: a chaddr of
            // another MAC would lease, renew or release another host's address and move its MAC here.
            refuse("chaddr " + HEX.formatHex(m.chaddr()) + " is not the frame's source " + HEX.formatHex(source));
            return;
        }
        request(port, m);
    }

    private void refuse(String why) {
        malformed++;
        if (Long.bitCount(malformed) == 1) {
            log.warn("dropped a malformed DHCP message: {} ({} so far)", why, malformed);
        }
    }

    private void request(OFPort port, DhcpMessage m) {
        if (m.op() != DhcpMessage.BOOTREQUEST || m.giaddr() != 0) {
            // Replies, and requests through a relay agent (another LAN's), are not ours to answer.
            refuse(m.op() != DhcpMessage.BOOTREQUEST ? "a BOOTREPLY from a host" : "relayed (giaddr set)");
            return;
        }
        switch (m.type()) {
            case DhcpMessage.DISCOVER -> discover(port, m);
            case DhcpMessage.REQUEST -> request(port, m, m.address(DhcpMessage.OPT_SERVER_ID));
            case DhcpMessage.DECLINE -> decline(m);
            case DhcpMessage.RELEASE -> release(m);
            case DhcpMessage.INFORM -> inform(port, m);
            default -> refuse("message type " + m.type() + " from a client");
        }
    }

    private void discover(OFPort port, DhcpMessage m) {
        discovers++;
        List<Integer> candidates = new ArrayList<>();
        int earlier = book.offered(m.clientKey(), clock.getAsLong());
        if (earlier != 0) {
            candidates.add(earlier);
        }
        byte[] holder = holder(m);
        candidates.addAll(book.leasedTo(holder));
        int requested = m.address(DhcpMessage.OPT_REQUESTED_IP);
        if (inPool(requested)) {
            candidates.add(requested);
        }
        long h = mix(Arrays.hashCode(m.clientKey()));
        for (int i = 0; i < CANDIDATES && i < size; i++) {
            candidates.add(first + (int) Math.floorMod(h + i, (long) size));
        }
        offerFirstFree(port, m, holder, candidates, 0);
    }

    /** Tries the candidates in turn: not declined, not announced by another host, free in the pool. */
    private void offerFirstFree(OFPort port, DhcpMessage m, byte[] holder, List<Integer> candidates, int i) {
        if (i >= candidates.size()) {
            exhausted++;
            if (Long.bitCount(exhausted) == 1) {
                log.warn("no address to offer {}: {} candidates of the pool {} are taken ({} times so far)",
                        HEX.formatHex(m.chaddr()), candidates.size(), pool(), exhausted);
            }
            return;
        }
        int ip = candidates.get(i);
        if (book.declined(ip, clock.getAsLong())) {
            offerFirstFree(port, m, holder, candidates, i + 1);
            return;
        }
        pool.announcedBy(ip).whenComplete((mac, error) -> hop.execute(() -> {
            if (error != null) {
                poolUnavailable(ip, error);
            } else if (mac != null && !Arrays.equals(mac, m.chaddr())) {
                conflict(ip, mac, null, "announced by a host with a static address; not offered");
                offerFirstFree(port, m, holder, candidates, i + 1);
            } else {
                pool.claim(ip, holder, OFFER_HOLD_MILLIS, false).whenComplete((claim, e) -> hop.execute(() -> {
                    if (e != null) {
                        poolUnavailable(ip, e);
                    } else if (claim.granted()) {
                        book.offer(m.clientKey(), ip, clock.getAsLong() + OFFER_HOLD_MILLIS);
                        offered++;
                        reply(port, m, DhcpMessage.OFFER, 0, ip, leaseOptions());
                    } else {
                        offerFirstFree(port, m, holder, candidates, i + 1);
                    }
                }));
            }
        }));
    }

    private void poolUnavailable(int ip, Throwable error) {
        unavailable++;
        log.debug("the pool cannot be asked for {}: {}", DhcpFrames.format(ip), error.toString());
    }

    /** A REQUEST: selecting (server id set), init-reboot (requested address) or renewing/rebinding (ciaddr). */
    private void request(OFPort port, DhcpMessage m, int serverId) {
        requests++;
        if (serverId != 0 && serverId != server) {
            book.forgetOffer(m.clientKey());
            return;
        }
        int ip = m.ciaddr() != 0 ? m.ciaddr() : m.address(DhcpMessage.OPT_REQUESTED_IP);
        if (!inPool(ip)) {
            nak(port, m, ip == 0 ? "no address requested" : DhcpFrames.format(ip) + " is not in this LAN's pool");
            return;
        }
        byte[] holder = holder(m);
        LeaseBook.Lease mine = book.lease(ip);
        if (mine != null && Arrays.equals(mine.holder(), holder)) {
            // Renewing an address this site keeps for the client: the kept claim holds it.
            grant(port, m, ip, new LeaseBook.Lease(holder, port, clock.getAsLong() + leaseMillis, mine.cancel()));
            return;
        }
        pool.claim(ip, holder, leaseMillis, true).whenComplete((claim, error) -> hop.execute(() -> {
            if (error != null) {
                poolUnavailable(ip, error);
                return;
            }
            if (!claim.granted()) {
                claim.cancel().run();
                nak(port, m, DhcpFrames.format(ip) + " is leased to " + LeaseBook.describe(claim.holder()));
                return;
            }
            book.forgetOffer(m.clientKey());
            grant(port, m, ip, new LeaseBook.Lease(holder, port, clock.getAsLong() + leaseMillis, claim.cancel()));
            if (book.size() > MAX_LEASES) {
                log.warn("{} leases kept by this site: more than {}", book.size(), MAX_LEASES);
            }
        }));
    }

    /** Keeps the lease, binds the host (unbinding it from the port it had), and acknowledges. */
    private void grant(OFPort port, DhcpMessage m, int ip, LeaseBook.Lease lease) {
        LeaseBook.Lease before = book.keep(ip, lease);
        if (before != null) {
            if (before.cancel() != lease.cancel()) {
                before.cancel().run();
            }
            if (!before.port().equals(port) || !Arrays.equals(before.holder(), lease.holder())) {
                out.leaseEnded(before.port(), before.mac(), ip);
            }
        }
        acks++;
        reply(port, m, DhcpMessage.ACK, m.ciaddr(), ip, leaseOptions());
        out.leased(port, m.chaddr(), ip);
        out.named(ip, m.option(DhcpMessage.OPT_HOST_NAME));
        log.info("leased {} to {} on port {} for {} s", DhcpFrames.format(ip), HEX.formatHex(m.chaddr()), port,
                leaseMillis / 1000);
    }

    private void nak(OFPort port, DhcpMessage m, String why) {
        naks++;
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {DhcpMessage.NAK});
        o.put(DhcpMessage.OPT_SERVER_ID, DhcpFrames.bytes(server));
        o.put(DhcpMessage.OPT_MESSAGE, why.getBytes(StandardCharsets.US_ASCII));
        log.info("DHCPNAK to {}: {}", HEX.formatHex(m.chaddr()), why);
        send(port, m, 0, 0, o, true);
    }

    private void decline(DhcpMessage m) {
        declines++;
        int ip = m.address(DhcpMessage.OPT_REQUESTED_IP);
        if (inPool(ip)) {
            book.decline(ip, clock.getAsLong() + DECLINED_MILLIS);
            conflict(ip, m.chaddr(), null, "declined by the client: another host answers for it");
            letGo(ip, holder(m));
        }
    }

    private void release(DhcpMessage m) {
        releases++;
        letGo(m.ciaddr(), holder(m));
    }

    /** Stops keeping a lease and unbinds its host; the pool's copy runs out at the end of its time to live. */
    private void letGo(int ip, byte[] holder) {
        LeaseBook.Lease lease = book.remove(ip, holder);
        if (lease != null) {
            lease.cancel().run();
            out.leaseEnded(lease.port(), lease.mac(), ip);
        }
    }

    private void inform(OFPort port, DhcpMessage m) {
        informs++;
        if (m.ciaddr() == 0) {
            refuse("DHCPINFORM without ciaddr");
            return;
        }
        send(port, m, m.ciaddr(), 0, DhcpFrames.options(config, DhcpMessage.ACK, mtu, 0), false);
    }

    /**
     * A host said it has {@code ip} (its ARP, accepted by the hosts manager): a conflict when
     * another client leased it here or in the pool.
     */
    void addressSeen(int ip, byte[] mac) {
        if (!inPool(ip)) {
            return;
        }
        LeaseBook.Lease lease = book.lease(ip);
        if (lease != null) {
            if (!Arrays.equals(lease.mac(), mac)) {
                conflict(ip, mac, lease.holder(), "announced by a host that did not lease it");
            }
            return;
        }
        if (conflicts.checkedLately(ip, mac)) {
            return;
        }
        pool.holder(ip).whenComplete((holder, error) -> hop.execute(() -> {
            if (holder != null && holder.length >= 6 && !Arrays.equals(Arrays.copyOf(holder, 6), mac)) {
                conflict(ip, mac, holder, "announced by a host that did not lease it");
            }
        }));
    }

    private void conflict(int ip, byte[] mac, byte[] holder, String what) {
        conflicts.report(ip, mac, holder == null ? null : LeaseBook.describe(holder), what);
    }

    /** Forgets leases whose clients stopped renewing (unbinding their hosts), and offers not taken. */
    void expire() {
        book.expire(clock.getAsLong()).forEach((ip, lease) -> {
            lease.cancel().run();
            out.leaseEnded(lease.port(), lease.mac(), ip);
            log.info("the lease of {} to {} ran out", DhcpFrames.format(ip), LeaseBook.describe(lease.holder()));
        });
    }

    private boolean inPool(int ip) {
        return ip != 0 && Integer.compareUnsigned(ip - first, size) < 0;
    }

    /** The pool's value for a client: its MAC, then its client key (at most 64 bytes of it). */
    private static byte[] holder(DhcpMessage m) {
        byte[] key = m.clientKey();
        byte[] v = Arrays.copyOf(m.chaddr(), 6 + Math.min(key.length, 64));
        System.arraycopy(key, 0, v, 6, v.length - 6);
        return v;
    }

    private Map<Integer, byte[]> leaseOptions() {
        return DhcpFrames.options(config, 0, mtu, (int) (leaseMillis / 1000));
    }

    private void reply(OFPort port, DhcpMessage m, int type, int ciaddr, int yiaddr, Map<Integer, byte[]> rest) {
        Map<Integer, byte[]> o = new LinkedHashMap<>();
        o.put(DhcpMessage.OPT_MESSAGE_TYPE, new byte[] {(byte) type});
        o.putAll(rest);
        send(port, m, ciaddr, yiaddr, o, false);
    }

    private void send(OFPort port, DhcpMessage m, int ciaddr, int yiaddr, Map<Integer, byte[]> options,
                      boolean broadcast) {
        out.reply(port, DhcpFrames.reply(m, serverMac, server, ciaddr, yiaddr, options, broadcast));
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h & Long.MAX_VALUE;
    }

    private String pool() {
        return DhcpFrames.format(first) + "-" + DhcpFrames.format(config.poolLast());
    }

    DhcpStats stats(long rogueServers) {
        return new DhcpStats(true, pool(), DhcpFrames.format(server), book.size(), discovers, offered, requests, acks,
                naks, declines, releases, informs, malformed, conflicts.count(), unavailable, exhausted, rogueServers,
                book.list(clock.getAsLong(), 256), conflicts.recent());
    }
}
