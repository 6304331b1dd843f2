package io.ringswitch.overlay.ring.routing;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.RingMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded broadcast: each node splits the range it was given among its links inside it, each link
 * taking the part from itself up to the next link, so that the parts are disjoint and cover the
 * range, and every node of a consistent ring gets the broadcast exactly once. Duplicates (a ring
 * still settling) are suppressed and counted. At every hop, a range that reaches past the node
 * that handed it on or past the broadcast's origin is refused, the origin's proof
 * ({@link SourceAuthentication}) is checked before the broadcast is delivered or passed on, and
 * each origin has a budget ({@link BroadcastBudget}); what each stops is counted.
 *
 * <p>The range an origin starts is always the whole ring from itself round to itself, so the
 * origin, which the origin's signature covers, fixes it: every part handed on, at any depth, ends
 * at or before the origin. A node on the way that widens or re-aims a range beyond that (to make
 * nodes that already had the broadcast pass it on again, or to start it over from elsewhere) is
 * caught at the next hop; a forged origin that would make such a range look right fails the
 * signature. What a hop cannot see is a range widened into a sibling's part, still short of the
 * origin: that needs a signature by every hop. It costs little, since each node delivers and
 * passes on a broadcast once, whatever range it came with.
 */
public final class Broadcaster {
    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);
    private static final int SEEN_BROADCASTS = 4096;

    private final LinkTable table;
    private final RingConfig config;
    private final RingCounters counters;
    private final Random random;
    private final PayloadRegistry payloads;
    private final BroadcastBudget budget = new BroadcastBudget();
    private final Map<Long, Boolean> seen = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > SEEN_BROADCASTS;
        }
    };

    private SourceAuthentication sources = SourceAuthentication.NONE;

    public Broadcaster(LinkTable table, Random random, PayloadRegistry payloads) {
        this.table = table;
        this.config = table.config();
        this.counters = table.counters();
        this.random = random;
        this.payloads = payloads;
    }

    /** Sends a payload to every node of the ring. */
    public void broadcast(int payloadType, byte[] payload) {
        long id = random.nextLong();
        seen.put(id, Boolean.TRUE);
        counters.broadcastsOriginated.inc();
        forward(table.me(), id, table.me(), config.maxTtl(), payloadType,
                sources.signBroadcast(table.me(), id, payloadType, payload));
    }

    /** How origins prove themselves: this node's broadcasts are wrapped with it, every one it receives checked. */
    public void authentication(SourceAuthentication sources) {
        this.sources = sources;
    }

    public void onBroadcast(Link from, RingMessage.Broadcast m) {
        if (m.ttl() > config.maxTtl()) {
            counters.hopLimitAbuse.inc();
            return;
        }
        if (!withinSender(from.address(), m.rangeEnd())) {
            if (Long.bitCount(Metrics.incremented(counters.broadcastRangeRefused)) == 1) {
                log.atWarn().addKeyValue("peer", from.address().shortString()).addKeyValue("path", String.valueOf(from.path()))
                        .addKeyValue("reason", "broadcast-range").addKeyValue("count", counters.broadcastRangeRefused())
                        .log("refused a broadcast from {} whose range reaches past it to {} ({} so far)",
                                from.address().shortString(), m.rangeEnd().shortString(), counters.broadcastRangeRefused());
            }
            return;
        }
        if (!m.from().equals(table.me()) && !withinOrigin(m.from(), m.rangeEnd())) {
            if (Long.bitCount(Metrics.incremented(counters.broadcastBeyondOrigin)) == 1) {
                log.atWarn().addKeyValue("peer", from.address().shortString()).addKeyValue("path", String.valueOf(from.path()))
                        .addKeyValue("reason", "broadcast-beyond-origin").addKeyValue("origin", m.from().shortString())
                        .addKeyValue("count", counters.broadcastBeyondOrigin())
                        .log("refused a broadcast of {} from {} whose range reaches past its origin to {} ({} so far)",
                                m.from().shortString(), from.address().shortString(), m.rangeEnd().shortString(),
                                counters.broadcastBeyondOrigin());
            }
            return;
        }
        if (seen.containsKey(m.id())) {
            counters.broadcastDuplicates.inc();
            return;
        }
        // Checked before it is marked seen (a forged copy must not shadow the real one), before it
        // goes on (a forged origin ends at the first honest hop) and before the origin's budget
        // is charged (a forgery must not spend another member's budget).
        byte[] payload = sources.openBroadcast(m.from(), m.id(), m.payloadType(), m.payload());
        if (payload == null) {
            counters.forgedSource.inc();
            return;
        }
        seen.put(m.id(), Boolean.TRUE);
        if (!budget.allow(m.from(), table.scheduler().nowMillis())) {
            if (Long.bitCount(Metrics.incremented(counters.broadcastsOverBudget)) == 1) {
                log.atWarn().addKeyValue("peer", from.address().shortString()).addKeyValue("path", String.valueOf(from.path()))
                        .addKeyValue("reason", "broadcast-over-budget").addKeyValue("origin", m.from().shortString())
                        .addKeyValue("count", counters.broadcastsOverBudget())
                        .log("dropped a broadcast of {} over its budget, from {} ({} so far)", m.from().shortString(),
                                from.address().shortString(), counters.broadcastsOverBudget());
            }
            return;
        }
        if (!payloads.passesOn(m.payloadType(), m.from(), payload)) {
            counters.broadcastsStopped.inc();
            return;
        }
        counters.broadcastsDelivered.inc();
        payloads.deliverBroadcast(m.payloadType(), m.from(), payload);
        forward(m.from(), m.id(), m.rangeEnd(), m.ttl(), m.payloadType(), m.payload());
    }

    /**
     * Whether a range {@code [me, end)} handed on by {@code sender} may be its to give: a node
     * splits the range it holds, which starts at itself, among its links clockwise from it, so
     * that no part it hands on reaches past it (the origin's last link gets the range up to the
     * origin, no further). The whole ring ({@code end} is this node) is never handed on. What the
     * sender itself was given is unknown here; {@link #withinOrigin} bounds it by the origin.
     */
    private boolean withinSender(RingAddress sender, RingAddress end) {
        RingAddress me = table.me();
        return !end.equals(me) && me.clockwiseTo(end).compareTo(me.clockwiseTo(sender)) <= 0;
    }

    /**
     * Whether a range {@code [me, end)} lies within the ring its origin's broadcast covers,
     * {@code [origin, origin)}: clockwise from this node it must end at the origin or before, never
     * past it (see the class comment).
     */
    private boolean withinOrigin(RingAddress origin, RingAddress end) {
        RingAddress me = table.me();
        return me.clockwiseTo(end).compareTo(me.clockwiseTo(origin)) <= 0;
    }

    private void forward(RingAddress origin, long id, RingAddress end, int ttl, int type, byte[] payload) {
        if (ttl <= 0) {
            return;
        }
        RingAddress me = table.me();
        boolean fullCircle = end.equals(me);
        RingAddress span = me.clockwiseTo(end);
        List<Link> inRange = new ArrayList<>();
        for (Link link : table.clockwise()) {
            if (fullCircle || me.clockwiseTo(link.address()).compareTo(span) < 0) {
                inRange.add(link);
            }
        }
        for (int i = 0; i < inRange.size(); i++) {
            RingAddress subEnd = i + 1 < inRange.size() ? inRange.get(i + 1).address() : end;
            table.send(inRange.get(i), new RingMessage.Broadcast(origin, id, subEnd, ttl - 1, type, payload));
        }
    }
}
