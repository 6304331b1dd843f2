package io.ringswitch.overlay.ring.routing;

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

/**
 * Bounded broadcast: each node splits the range it was given among its links inside it, each link
 * taking the part from itself up to the next link, so that the parts are disjoint and cover the
 * range, and every node of a consistent ring gets the broadcast exactly once. Duplicates (a ring
 * still settling) are suppressed and counted. Each node checks the origin's proof
 * ({@link SourceAuthentication}) before it delivers or passes a broadcast on.
 */
public final class Broadcaster {
    private static final int SEEN_BROADCASTS = 4096;

    private final LinkTable table;
    private final RingConfig config;
    private final RingCounters counters;
    private final Random random;
    private final PayloadRegistry payloads;
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
        counters.broadcastsOriginated++;
        forward(table.me(), id, table.me(), config.maxTtl(), payloadType,
                sources.signBroadcast(table.me(), id, payloadType, payload));
    }

    /** How origins prove themselves: this node's broadcasts are wrapped with it, every one it receives checked. */
    public void authentication(SourceAuthentication sources) {
        this.sources = sources;
    }

    public void onBroadcast(Link from, RingMessage.Broadcast m) {
        if (m.ttl() > config.maxTtl()) {
            counters.hopLimitAbuse++;
            return;
        }
        if (seen.containsKey(m.id())) {
            counters.broadcastDuplicates++;
            return;
        }
        // Checked before it is marked seen (a forged copy must not shadow the real one) and
        // before it goes on: a forged origin ends at the first honest hop.
        byte[] payload = sources.openBroadcast(m.from(), m.id(), m.payloadType(), m.payload());
        if (payload == null) {
            counters.forgedSource++;
            return;
        }
        seen.put(m.id(), Boolean.TRUE);
        counters.broadcastsDelivered++;
        payloads.deliverBroadcast(m.payloadType(), m.from(), payload);
        forward(m.from(), m.id(), m.rangeEnd(), m.ttl(), m.payloadType(), m.payload());
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
