package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.BoundedMap;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.Scheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * No reflection: a link request is a probe, and each probe may cost the receiver a handshake and
 * its retries, so that a CONNECT naming a third party's endpoints would turn this node into a
 * traffic source against it. Probes to a <em>confirmed</em> endpoint pass: a link's path, an
 * endpoint a linked (with security on: authenticated) peer named among its neighbours, or one of
 * this node's own. Any other (CONNECT endpoint lists, bootstrap addresses) takes a token from a
 * bucket ({@value #RATE_PER_SECOND}/s, burst {@value #BURST}) and goes to one IP address at most
 * once per {@value #PER_ADDRESS_MILLIS} ms; the rest are dropped and counted.
 */
public final class ProbeLimiter {
    static final int RATE_PER_SECOND = 4;
    static final int BURST = 8;
    static final long PER_ADDRESS_MILLIS = 5000;
    /** Endpoints named by linked peers, remembered at most (the oldest are forgotten first). */
    static final int MAX_VOUCHED = 4096;
    /** A peer's word for an endpoint holds this long. */
    static final long VOUCHED_MILLIS = 10 * 60_000;
    static final int MAX_ADDRESSES = 1024;

    private final LinkTable table;
    private final PublicEndpoints own;
    private final Scheduler scheduler;
    private final Map<InetSocketAddress, Long> vouched = new BoundedMap<>(MAX_VOUCHED, true);
    /** When each IP address last got an unconfirmed probe. */
    private final Map<InetAddress, Long> lastProbe = new BoundedMap<>(MAX_ADDRESSES, true);
    private double tokens = BURST;
    private long refilledAt;
    private long limited;

    public ProbeLimiter(LinkTable table, PublicEndpoints own, Scheduler scheduler) {
        this.table = table;
        this.own = own;
        this.scheduler = scheduler;
        this.refilledAt = scheduler.nowMillis();
    }

    /** A linked peer named these contacts (in a link request or reply, a status or a close). */
    public void vouch(List<Contact> contacts) {
        long now = scheduler.nowMillis();
        for (Contact c : contacts) {
            vouched.put(c.endpoint(), now);
        }
    }

    /** Is an endpoint confirmed by this node's links, its linked peers or itself? */
    public boolean confirmed(InetSocketAddress endpoint) {
        if (table.at(new PeerPath.Udp(endpoint)) != null || own.isOwn(endpoint)) {
            return true;
        }
        Long at = vouched.get(endpoint);
        return at != null && scheduler.nowMillis() - at <= VOUCHED_MILLIS;
    }

    /** May a probe go to {@code endpoint} now? Takes a token for an unconfirmed one; counts refusals. */
    public boolean allow(InetSocketAddress endpoint) {
        if (confirmed(endpoint)) {
            return true;
        }
        long now = scheduler.nowMillis();
        tokens = Math.min(BURST, tokens + (now - refilledAt) * RATE_PER_SECOND / 1000.0);
        refilledAt = now;
        Long last = lastProbe.get(endpoint.getAddress());
        if (tokens < 1 || (last != null && now - last < PER_ADDRESS_MILLIS)) {
            limited++;
            table.counters().probesLimited++;
            return false;
        }
        tokens -= 1;
        lastProbe.put(endpoint.getAddress(), now);
        return true;
    }

    /** Probes held back so far. */
    public long limited() {
        return limited;
    }
}
