package io.ringswitch.overlay.ring;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a ring node counted, as data points of the node's registry (issue 20): routed messages,
 * drops, refusals ({@code ringswitch_refused_total{layer="ring"}}), link events, CONNECTs and
 * broadcasts. Increment a field's data point ({@code counters.sent.inc()}, one {@code LongAdder.add});
 * read it with its getter ({@code counters.sent()}) or, for the status, through a scrape by the
 * field's {@link CounterKey}.
 */
public final class RingCounters {
    private static final String MESSAGES = "ringswitch_ring_messages_total";
    private static final String MESSAGES_HELP = "Routed ring messages, by what happened to them at this node.";
    private static final String DROPPED = "ringswitch_ring_dropped_total";
    private static final String DROPPED_HELP = "Ring messages and requests dropped for want of a route, time or room, by reason.";
    private static final String LINKS = "ringswitch_ring_link_events_total";
    private static final String LINKS_HELP = "Ring link events: made, lost, trimmed, moved, by event.";
    private static final String CONNECTS = "ringswitch_ring_connects_total";
    private static final String CONNECTS_HELP = "CONNECT requests this node answered, by outcome.";
    private static final String BROADCASTS = "ringswitch_ring_broadcasts_total";
    private static final String BROADCASTS_HELP = "Bounded ring broadcasts, by event.";

    public static final CounterKey SENT = CounterKey.of(MESSAGES, MESSAGES_HELP, "event", "sent");
    public static final CounterKey ORIGINATED = CounterKey.of(MESSAGES, MESSAGES_HELP, "event", "originated");
    public static final CounterKey DELIVERED = CounterKey.of(MESSAGES, MESSAGES_HELP, "event", "delivered");
    public static final CounterKey FORWARDED = CounterKey.of(MESSAGES, MESSAGES_HELP, "event", "forwarded");
    public static final CounterKey RELAYED = CounterKey.of(MESSAGES, MESSAGES_HELP, "event", "relayed");
    public static final CounterKey NO_ROUTE = CounterKey.of(DROPPED, DROPPED_HELP, "reason", "no-route");
    public static final CounterKey TTL_EXPIRED = CounterKey.of(DROPPED, DROPPED_HELP, "reason", "ttl-expired");
    public static final CounterKey HOP_LIMIT_ABUSE = CounterKey.refused("ring", "hop-limit-abuse");
    public static final CounterKey HOP_RETRIES = CounterKey.of(MESSAGES, MESSAGES_HELP, "event", "hop_retry");
    public static final CounterKey RETRIES_EXHAUSTED = CounterKey.of(DROPPED, DROPPED_HELP, "reason", "retries-exhausted");
    public static final CounterKey FROM_STRANGER = CounterKey.refused("ring", "from-stranger");
    public static final CounterKey MALFORMED = CounterKey.refused("ring", "malformed");
    public static final CounterKey UNKNOWN_PAYLOAD = CounterKey.refused("ring", "unknown-payload");
    public static final CounterKey LINKS_UP = CounterKey.of(LINKS, LINKS_HELP, "event", "up");
    public static final CounterKey LINKS_DOWN = CounterKey.of(LINKS, LINKS_HELP, "event", "down");
    public static final CounterKey LINKS_TRIMMED = CounterKey.of(LINKS, LINKS_HELP, "event", "trimmed");
    public static final CounterKey LINKS_DEAD = CounterKey.of(LINKS, LINKS_HELP, "event", "dead");
    public static final CounterKey LINKS_CLOSED_BY_PEER = CounterKey.of(LINKS, LINKS_HELP, "event", "closed_by_peer");
    public static final CounterKey LINKS_REFUSED = CounterKey.of(LINKS, LINKS_HELP, "event", "refused");
    public static final CounterKey LINKS_ACCEPTED = CounterKey.of(LINKS, LINKS_HELP, "event", "accepted");
    public static final CounterKey ON_DEMAND_REQUESTED = CounterKey.of(LINKS, LINKS_HELP, "event", "on_demand_requested");
    public static final CounterKey CONNECTS_ANSWERED = CounterKey.of(CONNECTS, CONNECTS_HELP, "outcome", "answered");
    public static final CounterKey CONNECTS_ALREADY_LINKED = CounterKey.of(CONNECTS, CONNECTS_HELP, "outcome", "already_linked");
    public static final CounterKey SELF_LOOKUPS = CounterKey.of(MESSAGES, MESSAGES_HELP, "event", "self_lookup");
    public static final CounterKey PROBES_LIMITED = CounterKey.of(DROPPED, DROPPED_HELP, "reason", "probe-limited");
    public static final CounterKey LINKS_REPATHED = CounterKey.of(LINKS, LINKS_HELP, "event", "repathed");
    public static final CounterKey CONNECT_FALLBACKS = CounterKey.of(LINKS, LINKS_HELP, "event", "connect_fallback");
    public static final CounterKey RELAYED_LINKS = CounterKey.of(LINKS, LINKS_HELP, "event", "relayed");
    public static final CounterKey RELAYED_TO_DIRECT = CounterKey.of(LINKS, LINKS_HELP, "event", "relayed_to_direct");
    public static final CounterKey TCP_FALLBACKS = CounterKey.of(LINKS, LINKS_HELP, "event", "tcp_fallback");
    public static final CounterKey BROADCASTS_ORIGINATED = CounterKey.of(BROADCASTS, BROADCASTS_HELP, "event", "originated");
    public static final CounterKey BROADCASTS_DELIVERED = CounterKey.of(BROADCASTS, BROADCASTS_HELP, "event", "delivered");
    public static final CounterKey BROADCAST_DUPLICATES = CounterKey.of(BROADCASTS, BROADCASTS_HELP, "event", "duplicate");
    public static final CounterKey BROADCASTS_OVER_BUDGET = CounterKey.of(DROPPED, DROPPED_HELP, "reason", "broadcast-over-budget");
    public static final CounterKey BROADCASTS_STOPPED = CounterKey.refused("ring", "broadcast-proof-failed");
    public static final CounterKey BROADCAST_RANGE_REFUSED = CounterKey.refused("ring", "broadcast-range");
    public static final CounterKey BROADCAST_BEYOND_ORIGIN = CounterKey.refused("ring", "broadcast-beyond-origin");
    public static final CounterKey INFLIGHT_FULL = CounterKey.of(DROPPED, DROPPED_HELP, "reason", "inflight-full");
    public static final CounterKey PENDING_FULL = CounterKey.of(DROPPED, DROPPED_HELP, "reason", "pending-full");
    public static final CounterKey FORGED_SOURCE = CounterKey.refused("ring", "routed-forged-source");
    public static final CounterKey UNSEALED_FRAMES = CounterKey.refused("ring", "routed-frame-unsealed");

    public final CounterDataPoint sent;
    public final CounterDataPoint originated;
    public final CounterDataPoint delivered;
    public final CounterDataPoint forwarded;
    /** Routed messages this node passed on for others (multi-hop routes through it). */
    public final CounterDataPoint relayed;
    public final CounterDataPoint noRoute;
    public final CounterDataPoint ttlExpired;
    public final CounterDataPoint hopLimitAbuse;
    public final CounterDataPoint hopRetries;
    public final CounterDataPoint retriesExhausted;
    public final CounterDataPoint fromStranger;
    public final CounterDataPoint malformed;
    /** Routed messages and broadcasts of a payload type no protocol registered for. */
    public final CounterDataPoint unknownPayload;
    public final CounterDataPoint linksUp;
    public final CounterDataPoint linksDown;
    public final CounterDataPoint linksTrimmed;
    /** Links dropped because the peer fell silent. */
    public final CounterDataPoint linksDead;
    /** Links the peer closed (it left, or trimmed the link). */
    public final CounterDataPoint linksClosedByPeer;
    public final CounterDataPoint linksRefused;
    public final CounterDataPoint linksAccepted;
    /** On-demand links asked for because frames to a site passed the threshold. */
    public final CounterDataPoint onDemandRequested;
    public final CounterDataPoint connectsAnswered;
    /** CONNECTs that ended at a node already linked to the requester (nothing to do). */
    public final CounterDataPoint connectsAlreadyLinked;
    public final CounterDataPoint selfLookups;
    /** Probes (link requests) to unconfirmed endpoints held back by the rate limit (no reflection). */
    public final CounterDataPoint probesLimited;
    /** Links that moved to a new path of their peer (its NAT mapping changed, or a punch found a better one). */
    public final CounterDataPoint linksRepathed;
    /** Link requests unanswered that fell back to a routed CONNECT (a NATted candidate gets punched). */
    public final CounterDataPoint connectFallbacks;
    /** Links made over a two-hop relay (issue 10), counted at the end that asked. */
    public final CounterDataPoint relayedLinks;
    /** Relayed links that moved to a direct path. */
    public final CounterDataPoint relayedToDirect;
    /** Link requests sent again over TCP after UDP got no answer. */
    public final CounterDataPoint tcpFallbacks;
    public final CounterDataPoint broadcastsOriginated;
    public final CounterDataPoint broadcastsDelivered;
    public final CounterDataPoint broadcastDuplicates;
    /** Broadcasts dropped because their origin had spent its budget at this hop. */
    public final CounterDataPoint broadcastsOverBudget;
    /** Broadcasts whose payload's own proof failed at this hop (a forged revocation): neither delivered nor passed on. */
    public final CounterDataPoint broadcastsStopped;
    /** Broadcasts whose range reached past the node that handed it on (it may not cover that much). */
    public final CounterDataPoint broadcastRangeRefused;
    /**
     * Broadcasts whose range reached past their origin: a node on the way widened or re-aimed the
     * range it handed on beyond the ring its origin's broadcast covers.
     */
    public final CounterDataPoint broadcastBeyondOrigin;
    /** Reliable messages passed on without retries because the table of those awaiting a hop ack was full. */
    public final CounterDataPoint inflightFull;
    /** Link requests not sent because the table of requests awaiting a reply was full. */
    public final CounterDataPoint pendingFull;
    /**
     * Routed messages (at delivery) and broadcasts (at each hop) whose source's signature did not
     * hold or whose {@code from} is not the signing certificate's address: dropped
     * ({@code routed-forged-source}).
     */
    public final CounterDataPoint forgedSource;
    /** Routed frames that came unsealed to a node whose frames for a site must ride an end-to-end session. */
    public final CounterDataPoint unsealedFrames;

    /** Counters in a registry of their own (a part tested alone). */
    public RingCounters() {
        this(NodeMetrics.inProcess());
    }

    /** Counters registered in the node's {@code metrics}. */
    public RingCounters(NodeMetrics metrics) {
        sent = SENT.in(metrics);
        originated = ORIGINATED.in(metrics);
        delivered = DELIVERED.in(metrics);
        forwarded = FORWARDED.in(metrics);
        relayed = RELAYED.in(metrics);
        noRoute = NO_ROUTE.in(metrics);
        ttlExpired = TTL_EXPIRED.in(metrics);
        hopLimitAbuse = HOP_LIMIT_ABUSE.in(metrics);
        hopRetries = HOP_RETRIES.in(metrics);
        retriesExhausted = RETRIES_EXHAUSTED.in(metrics);
        fromStranger = FROM_STRANGER.in(metrics);
        malformed = MALFORMED.in(metrics);
        unknownPayload = UNKNOWN_PAYLOAD.in(metrics);
        linksUp = LINKS_UP.in(metrics);
        linksDown = LINKS_DOWN.in(metrics);
        linksTrimmed = LINKS_TRIMMED.in(metrics);
        linksDead = LINKS_DEAD.in(metrics);
        linksClosedByPeer = LINKS_CLOSED_BY_PEER.in(metrics);
        linksRefused = LINKS_REFUSED.in(metrics);
        linksAccepted = LINKS_ACCEPTED.in(metrics);
        onDemandRequested = ON_DEMAND_REQUESTED.in(metrics);
        connectsAnswered = CONNECTS_ANSWERED.in(metrics);
        connectsAlreadyLinked = CONNECTS_ALREADY_LINKED.in(metrics);
        selfLookups = SELF_LOOKUPS.in(metrics);
        probesLimited = PROBES_LIMITED.in(metrics);
        linksRepathed = LINKS_REPATHED.in(metrics);
        connectFallbacks = CONNECT_FALLBACKS.in(metrics);
        relayedLinks = RELAYED_LINKS.in(metrics);
        relayedToDirect = RELAYED_TO_DIRECT.in(metrics);
        tcpFallbacks = TCP_FALLBACKS.in(metrics);
        broadcastsOriginated = BROADCASTS_ORIGINATED.in(metrics);
        broadcastsDelivered = BROADCASTS_DELIVERED.in(metrics);
        broadcastDuplicates = BROADCAST_DUPLICATES.in(metrics);
        broadcastsOverBudget = BROADCASTS_OVER_BUDGET.in(metrics);
        broadcastsStopped = BROADCASTS_STOPPED.in(metrics);
        broadcastRangeRefused = BROADCAST_RANGE_REFUSED.in(metrics);
        broadcastBeyondOrigin = BROADCAST_BEYOND_ORIGIN.in(metrics);
        inflightFull = INFLIGHT_FULL.in(metrics);
        pendingFull = PENDING_FULL.in(metrics);
        forgedSource = FORGED_SOURCE.in(metrics);
        unsealedFrames = UNSEALED_FRAMES.in(metrics);
    }

    public long sent() { return sent.getLongValue(); }
    public long originated() { return originated.getLongValue(); }
    public long delivered() { return delivered.getLongValue(); }
    public long forwarded() { return forwarded.getLongValue(); }
    public long relayed() { return relayed.getLongValue(); }
    public long noRoute() { return noRoute.getLongValue(); }
    public long ttlExpired() { return ttlExpired.getLongValue(); }
    public long hopLimitAbuse() { return hopLimitAbuse.getLongValue(); }
    public long hopRetries() { return hopRetries.getLongValue(); }
    public long retriesExhausted() { return retriesExhausted.getLongValue(); }
    public long fromStranger() { return fromStranger.getLongValue(); }
    public long malformed() { return malformed.getLongValue(); }
    public long unknownPayload() { return unknownPayload.getLongValue(); }
    public long linksUp() { return linksUp.getLongValue(); }
    public long linksDown() { return linksDown.getLongValue(); }
    public long linksTrimmed() { return linksTrimmed.getLongValue(); }
    public long linksDead() { return linksDead.getLongValue(); }
    public long linksClosedByPeer() { return linksClosedByPeer.getLongValue(); }
    public long linksRefused() { return linksRefused.getLongValue(); }
    public long linksAccepted() { return linksAccepted.getLongValue(); }
    public long onDemandRequested() { return onDemandRequested.getLongValue(); }
    public long connectsAnswered() { return connectsAnswered.getLongValue(); }
    public long connectsAlreadyLinked() { return connectsAlreadyLinked.getLongValue(); }
    public long selfLookups() { return selfLookups.getLongValue(); }
    public long probesLimited() { return probesLimited.getLongValue(); }
    public long linksRepathed() { return linksRepathed.getLongValue(); }
    public long connectFallbacks() { return connectFallbacks.getLongValue(); }
    public long relayedLinks() { return relayedLinks.getLongValue(); }
    public long relayedToDirect() { return relayedToDirect.getLongValue(); }
    public long tcpFallbacks() { return tcpFallbacks.getLongValue(); }
    public long broadcastsOriginated() { return broadcastsOriginated.getLongValue(); }
    public long broadcastsDelivered() { return broadcastsDelivered.getLongValue(); }
    public long broadcastDuplicates() { return broadcastDuplicates.getLongValue(); }
    public long broadcastsOverBudget() { return broadcastsOverBudget.getLongValue(); }
    public long broadcastsStopped() { return broadcastsStopped.getLongValue(); }
    public long broadcastRangeRefused() { return broadcastRangeRefused.getLongValue(); }
    public long broadcastBeyondOrigin() { return broadcastBeyondOrigin.getLongValue(); }
    public long inflightFull() { return inflightFull.getLongValue(); }
    public long pendingFull() { return pendingFull.getLongValue(); }
    public long forgedSource() { return forgedSource.getLongValue(); }
    public long unsealedFrames() { return unsealedFrames.getLongValue(); }
    /** Every count by the names the simulator and tests have always printed. */
    public Map<String, Long> toMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("ring.sent", sent());
        out.put("ring.originated", originated());
        out.put("ring.delivered", delivered());
        out.put("ring.forwarded", forwarded());
        out.put("ring.relayed", relayed());
        out.put("ring.noRoute", noRoute());
        out.put("ring.ttlExpired", ttlExpired());
        out.put("ring.hopLimitAbuse", hopLimitAbuse());
        out.put("ring.hopRetries", hopRetries());
        out.put("ring.retriesExhausted", retriesExhausted());
        out.put("ring.fromStranger", fromStranger());
        out.put("ring.malformed", malformed());
        out.put("ring.unknownPayload", unknownPayload());
        out.put("ring.linksUp", linksUp());
        out.put("ring.linksDown", linksDown());
        out.put("ring.linksTrimmed", linksTrimmed());
        out.put("ring.linksDead", linksDead());
        out.put("ring.linksClosedByPeer", linksClosedByPeer());
        out.put("ring.linksRefused", linksRefused());
        out.put("ring.linksAccepted", linksAccepted());
        out.put("ring.connectsAnswered", connectsAnswered());
        out.put("ring.connectsAlreadyLinked", connectsAlreadyLinked());
        out.put("ring.selfLookups", selfLookups());
        out.put("ring.probesLimited", probesLimited());
        out.put("ring.linksRepathed", linksRepathed());
        out.put("ring.connectFallbacks", connectFallbacks());
        out.put("ring.relayedLinks", relayedLinks());
        out.put("ring.relayedToDirect", relayedToDirect());
        out.put("ring.tcpFallbacks", tcpFallbacks());
        out.put("ring.broadcastsOriginated", broadcastsOriginated());
        out.put("ring.broadcastsDelivered", broadcastsDelivered());
        out.put("ring.broadcastDuplicates", broadcastDuplicates());
        out.put("ring.broadcastsOverBudget", broadcastsOverBudget());
        out.put("ring.broadcastsStopped", broadcastsStopped());
        out.put("ring.broadcastRangeRefused", broadcastRangeRefused());
        out.put("ring.broadcastBeyondOrigin", broadcastBeyondOrigin());
        out.put("ring.inflightFull", inflightFull());
        out.put("ring.pendingFull", pendingFull());
        out.put("ring.forgedSource", forgedSource());
        out.put("ring.unsealedFrames", unsealedFrames());
        return out;
    }
}
