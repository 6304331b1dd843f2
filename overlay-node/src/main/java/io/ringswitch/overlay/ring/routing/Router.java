package io.ringswitch.overlay.ring.routing;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greedy routing by ring distance: a routed message goes to the link nearest its destination, is
 * delivered where no link is nearer, and is dropped (and counted) at the hop limit. Reliable
 * messages are acknowledged hop by hop; a hop that does not answer is suspected and the message
 * goes around it. What a message carries is the {@link PayloadRegistry}'s business; whether its
 * source sent it, the {@link SourceAuthentication}'s, asked at delivery.
 */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /**
     * Reliable messages awaiting a hop ack, at most: each is kept for a few hundred milliseconds,
     * so that this is thousands a second through one node; past it, a message is passed on
     * without retries (and counted) rather than held.
     */
    public static final int MAX_INFLIGHT = 4096;

    /**
     * A reliable message passed on to {@code next} and not yet acknowledged; also the task its
     * timer runs, so that a hop costs one object here rather than a record and a lambda.
     */
    private final class Inflight implements Runnable {
        private final RingMessage.Routed message;
        private final Link next;
        private final int attempt;
        private Scheduler.Cancellable timer;

        Inflight(RingMessage.Routed message, Link next, int attempt) {
            this.message = message;
            this.next = next;
            this.attempt = attempt;
        }

        @Override
        public void run() {
            hopTimedOut(message, next, attempt);
        }
    }

    private final LinkTable table;
    private final RingConfig config;
    private final RingCounters counters;
    private final Scheduler scheduler;
    private final Random random;
    private final PayloadRegistry payloads;
    private final Consumer<RingMessage.Routed> undeliverable;
    /** Reliable messages awaiting their hop's ack, by message id. */
    private final MessageIdTable<Inflight> inflight = new MessageIdTable<>();
    private SourceAuthentication sources = SourceAuthentication.NONE;
    private RoutedObserver observer = RoutedObserver.NONE;

    public Router(LinkTable table, Random random, PayloadRegistry payloads, Consumer<RingMessage.Routed> undeliverable) {
        this.table = table;
        this.config = table.config();
        this.counters = table.counters();
        this.scheduler = table.scheduler();
        this.random = random;
        this.payloads = payloads;
        this.undeliverable = undeliverable;
    }

    /** How sources prove themselves: this node's payloads are wrapped with it, those delivered here checked. */
    public void authentication(SourceAuthentication sources) {
        this.sources = sources;
    }

    /** A diagnostic hook that sees every message forwarded for others and delivered here (tests only). */
    public void observe(RoutedObserver observer) {
        this.observer = observer;
    }

    /** Sends a payload from this node towards {@code dst}. */
    public void send(RingAddress dst, RoutingMode mode, int payloadType, byte[] payload, boolean reliable) {
        counters.originated.inc();
        route(new RingMessage.Routed(table.me(), dst, mode, config.maxTtl(), 0, reliable, random.nextLong(),
                payloadType, sources.signRouted(table.me(), dst, payloadType, payload)), 0);
    }

    /**
     * Sends a payload from this node towards {@code dst} with {@code first} as its first hop, from
     * where it is routed greedily as any other. A self-lookup goes this way: routed from this
     * node it would end among the neighbours it has already, the very ones that may be wrong
     * (two interleaved chains of neighbours, each consistent in itself, which a join storm
     * leaves behind); entering the ring's neighbourhood from afar, it ends at whichever node
     * there is nearest, known to this node or not.
     */
    public void sendThrough(Link first, RingAddress dst, RoutingMode mode, int payloadType, byte[] payload,
                            boolean reliable) {
        counters.originated.inc();
        RingMessage.Routed m = new RingMessage.Routed(table.me(), dst, mode, config.maxTtl(), 0, reliable,
                random.nextLong(), payloadType, sources.signRouted(table.me(), dst, payloadType, payload));
        counters.forwarded.inc();
        forward(m, first, 0);
    }

    public void onRouted(Link from, RingMessage.Routed m) {
        if (m.ttl() > config.maxTtl() || m.hops() > config.maxTtl()) {
            counters.hopLimitAbuse.inc();
            return;
        }
        if (m.reliable()) {
            table.send(from, new RingMessage.HopAck(table.me(), m.id()));
        }
        route(m, 0);
    }

    public void onHopAck(Link from, RingMessage.HopAck m) {
        Inflight done = inflight.get(m.id());
        if (done != null && done.next == from) {
            inflight.remove(m.id());
            done.timer.cancel();
        }
    }

    public void clear() {
        inflight.forEach(i -> i.timer.cancel());
        inflight.clear();
    }

    /** Delivers here, forwards to the best next hop, or drops, counting which. */
    private void route(RingMessage.Routed m, int attempt) {
        RingAddress me = table.me();
        boolean excludeSource = m.mode() == RoutingMode.NEAREST_OTHER;
        boolean iAmSource = m.from().equals(me);
        if (!(excludeSource && iAmSource) && m.dst().equals(me)) {
            deliver(m);
            return;
        }
        // A node still joining routes through its join link: it must not pose as anybody's nearest.
        Link next = nextHop(m.dst(), excludeSource ? m.from() : null, iAmSource || !table.joined());
        // The source that must not deliver to itself takes any next hop (no distance reaches the
        // whole ring's); anybody else forwards only to a link nearer the destination than itself.
        boolean nearer = next != null
                && (excludeSource && iAmSource || RingAddress.compareDistances(next.address(), me, m.dst()) < 0);
        if (!nearer) {
            if (m.mode() == RoutingMode.EXACT || (excludeSource && iAmSource)) {
                counters.noRoute.inc();
                undeliverable.accept(m);
            } else {
                deliver(m);
            }
            return;
        }
        if (m.ttl() == 0) {
            counters.ttlExpired.inc();
            return;
        }
        counters.forwarded.inc();
        if (!iAmSource) {
            counters.relayed.inc();
            observer.forwarded(m);
        }
        forward(m, next, attempt);
    }

    /** Sends {@code m} one hop on to {@code next}; a reliable one waits for the hop's ack, and goes around it without. */
    private void forward(RingMessage.Routed m, Link next, int attempt) {
        RingAddress me = table.me();
        table.send(next, m.hop());
        if (m.reliable() && inflight.size() >= MAX_INFLIGHT && !inflight.containsKey(m.id())) {
            if (Long.bitCount(Metrics.incremented(counters.inflightFull)) == 1) {
                log.warn("{}: {} reliable messages await hop acks; passing on without retries ({} so far)",
                        me.shortString(), inflight.size(), counters.inflightFull());
            }
        } else if (m.reliable()) {
            long timeout = next.rttMillis() > 0 ? Math.max(100, 3 * next.rttMillis()) : config.hopAckMillis();
            Inflight awaiting = new Inflight(m, next, attempt);
            awaiting.timer = scheduler.schedule(timeout, awaiting);
            Inflight previous = inflight.put(m.id(), awaiting);
            if (previous != null) {
                previous.timer.cancel();
            }
        }
    }

    private void hopTimedOut(RingMessage.Routed m, Link next, int attempt) {
        Inflight current = inflight.get(m.id());
        if (current == null || current.next != next) {
            return;
        }
        inflight.remove(m.id());
        next.suspectUntil(scheduler.nowMillis() + config.deadAfterMillis());
        if (attempt >= config.maxRetries()) {
            counters.retriesExhausted.inc();
            return;
        }
        counters.hopRetries.inc();
        route(m, attempt + 1);
    }

    /** The link nearest {@code dst}; join links only while joining or for this node's own messages. */
    private Link nextHop(RingAddress dst, RingAddress exclude, boolean mayUseJoinLink) {
        long now = scheduler.nowMillis();
        Link direct = table.get(dst);
        if (direct != null && !direct.suspect(now) && !dst.equals(exclude)) {
            // The common case for frames between linked sites: no distances to compute.
            return direct;
        }
        // Of the routable links, the nearest is one of dst's two neighbours in clockwise order:
        // O(log links), not a walk over every link with two distances computed for each.
        Link best = table.nearestRoutable(dst, exclude, now);
        if (!mayUseJoinLink || table.size() == table.clockwise().length) {
            return best;
        }
        for (Link link : table.view()) {
            if (link.routable() || link.suspect(now) || link.address().equals(exclude)) {
                continue;
            }
            if (best == null || RingAddress.compareDistances(link.address(), best.address(), dst) < 0) {
                best = link;
            }
        }
        return best;
    }

    private void deliver(RingMessage.Routed m) {
        if (!table.joined() && !m.dst().equals(table.me())) {
            // A node still joining is nobody's nearest: answering would start a second ring.
            counters.noRoute.inc();
            return;
        }
        // The source's proof is checked where the message ends, before any handler sees it.
        byte[] payload = sources.openRouted(m.from(), m.dst(), m.payloadType(), m.payload());
        if (payload == null) {
            counters.forgedSource.inc();
            return;
        }
        counters.delivered.inc();
        RingMessage.Routed opened = payload == m.payload() ? m : new RingMessage.Routed(m.from(), m.dst(), m.mode(), m.ttl(),
                m.hops(), m.reliable(), m.id(), m.payloadType(), payload);
        observer.delivered(opened);
        payloads.deliver(opened);
    }
}
