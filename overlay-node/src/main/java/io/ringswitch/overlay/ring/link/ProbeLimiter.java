package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.Scheduler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No reflection: a link request is a probe, and each probe may cost the receiver a handshake and
 * its retries, so that a CONNECT naming a third party's endpoints would turn this node into a
 * traffic source against it. Probes to an endpoint <em>confirmed by a handshake</em> pass: a
 * link's path, the path of a link made within {@value #CONFIRMED_MILLIS} ms, or one of this node's
 * own. A peer's word is no confirmation: endpoints that linked peers name (neighbour lists, CONNECT
 * endpoint lists) and bootstrap addresses take a token from a bucket ({@value #RATE_PER_SECOND}/s,
 * burst {@value #BURST}) and go to one IP address at most once per {@value #PER_ADDRESS_MILLIS} ms;
 * the rest are dropped and counted. Loopback (unless this node itself is bound there), multicast,
 * unspecified and broadcast addresses, and port 0, are never probed.
 */
public final class ProbeLimiter {
    private static final Logger log = LoggerFactory.getLogger(ProbeLimiter.class);
    static final int RATE_PER_SECOND = 32;
    static final int BURST = 64;
    static final long PER_ADDRESS_MILLIS = 5000;
    /** Endpoints of links made, remembered at most (the oldest are forgotten first). */
    static final int MAX_CONFIRMED = 4096;
    /** A link's endpoint counts as confirmed this long after the link was made. */
    static final long CONFIRMED_MILLIS = 10 * 60_000;
    static final int MAX_ADDRESSES = 1024;

    private final LinkTable table;
    private final PublicEndpoints own;
    private final Scheduler scheduler;
    private final Map<InetSocketAddress, Long> confirmed = new BoundedMap<>(MAX_CONFIRMED, true);
    /** When each IP address last got an unconfirmed probe. */
    private final Map<InetAddress, Long> lastProbe = new BoundedMap<>(MAX_ADDRESSES, true);
    private double tokens = BURST;
    private long refilledAt;
    private long forbidden;

    public ProbeLimiter(LinkTable table, PublicEndpoints own, Scheduler scheduler) {
        this.table = table;
        this.own = own;
        this.scheduler = scheduler;
        this.refilledAt = scheduler.nowMillis();
    }

    /** A link was made over {@code path}: the handshake on it confirmed its endpoint. */
    public void linked(PeerPath path) {
        InetSocketAddress endpoint = path instanceof PeerPath.Udp u ? u.endpoint()
                : path instanceof PeerPath.Tcp t ? t.endpoint() : null;
        if (endpoint != null) {
            confirmed.put(endpoint, scheduler.nowMillis());
        }
    }

    /** Is an endpoint confirmed by a handshake: this node's link, a recent one, or itself? */
    public boolean confirmed(InetSocketAddress endpoint) {
        if (table.at(new PeerPath.Udp(endpoint)) != null || own.isOwn(endpoint)) {
            return true;
        }
        Long at = confirmed.get(endpoint);
        return at != null && scheduler.nowMillis() - at <= CONFIRMED_MILLIS;
    }

    /** May a probe go to {@code endpoint} now? Takes a token for an unconfirmed one; counts refusals. */
    public boolean allow(InetSocketAddress endpoint) {
        if (!probeable(endpoint)) {
            if (Long.bitCount(++forbidden) == 1) {
                log.atWarn().addKeyValue("path", String.valueOf(endpoint)).addKeyValue("reason", "unprobeable-address")
                        .addKeyValue("count", forbidden).log("{}: refused to probe {}, an address no peer may be at ({} so far)",
                                table.me().shortString(), endpoint, forbidden);
            }
            table.counters().probesLimited.inc();
            return false;
        }
        if (confirmed(endpoint)) {
            return true;
        }
        long now = scheduler.nowMillis();
        tokens = Math.min(BURST, tokens + (now - refilledAt) * RATE_PER_SECOND / 1000.0);
        refilledAt = now;
        Long last = lastProbe.get(endpoint.getAddress());
        if (tokens < 1 || (last != null && now - last < PER_ADDRESS_MILLIS)) {
            table.counters().probesLimited.inc();
            return false;
        }
        tokens -= 1;
        lastProbe.put(endpoint.getAddress(), now);
        return true;
    }

    /**
     * Whether a peer could be at {@code endpoint} at all: not an unresolved name or port 0, not a
     * multicast, unspecified or limited-broadcast address (RFC 919), and not loopback unless this
     * node is bound to loopback itself (a lab on one host), so that a CONNECT cannot aim this
     * node's probes at services of its own host or at a whole link.
     */
    private boolean probeable(InetSocketAddress endpoint) {
        InetAddress a = endpoint.getAddress();
        if (a == null || endpoint.getPort() == 0 || a.isMulticastAddress() || a.isAnyLocalAddress()) {
            return false;
        }
        if (a instanceof Inet4Address && Arrays.equals(a.getAddress(), LIMITED_BROADCAST)) {
            return false;
        }
        InetAddress bound = own.bound().getAddress();
        return !a.isLoopbackAddress() || (bound != null && bound.isLoopbackAddress());
    }

    private static final byte[] LIMITED_BROADCAST = {(byte) 255, (byte) 255, (byte) 255, (byte) 255};

    /** Probes held back so far, as the registry counts them. */
    public long limited() {
        return table.counters().probesLimited.getLongValue();
    }
}
