package io.ringswitch.overlay.ring;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a ring node counted; read on the node's own thread (or copied with {@link #toMap}). */
public final class RingCounters {
    public long sent;
    public long originated;
    public long delivered;
    public long forwarded;
    /** Routed messages this node passed on for others (multi-hop routes through it). */
    public long relayed;
    public long noRoute;
    public long ttlExpired;
    public long hopLimitAbuse;
    public long hopRetries;
    public long retriesExhausted;
    public long fromStranger;
    public long malformed;
    /** Routed messages and broadcasts of a payload type no protocol registered for. */
    public long unknownPayload;
    public long linksUp;
    public long linksDown;
    public long linksTrimmed;
    /** Links dropped because the peer fell silent. */
    public long linksDead;
    /** Links the peer closed (it left, or trimmed the link). */
    public long linksClosedByPeer;
    public long linksRefused;
    public long linksAccepted;
    /** On-demand links asked for because frames to a site passed the threshold. */
    public long onDemandRequested;
    public long connectsAnswered;
    /** CONNECTs that ended at a node already linked to the requester (nothing to do). */
    public long connectsAlreadyLinked;
    public long selfLookups;
    /** Probes (link requests) to unconfirmed endpoints held back by the rate limit (no reflection). */
    public long probesLimited;
    /** Links that moved to a new path of their peer (its NAT mapping changed, or a punch found a better one). */
    public long linksRepathed;
    /** Link requests unanswered that fell back to a routed CONNECT (a NATted candidate gets punched). */
    public long connectFallbacks;
    /** Links made over a two-hop relay (issue 10), counted at the end that asked. */
    public long relayedLinks;
    /** Relayed links that moved to a direct path. */
    public long relayedToDirect;
    /** Link requests sent again over TCP after UDP got no answer. */
    public long tcpFallbacks;
    public long broadcastsOriginated;
    public long broadcastsDelivered;
    public long broadcastDuplicates;
    /** Broadcasts dropped because their origin had spent its budget at this hop. */
    public long broadcastsOverBudget;
    /** Broadcasts whose payload's own proof failed at this hop (a forged revocation): neither delivered nor passed on. */
    public long broadcastsStopped;
    /** Broadcasts whose range reached past the node that handed it on (it may not cover that much). */
    public long broadcastRangeRefused;
    /**
     * Broadcasts whose range reached past their origin: a node on the way widened or re-aimed the
     * range it handed on beyond the ring its origin's broadcast covers.
     */
    public long broadcastBeyondOrigin;
    /** Reliable messages passed on without retries because the table of those awaiting a hop ack was full. */
    public long inflightFull;
    /** Link requests not sent because the table of requests awaiting a reply was full. */
    public long pendingFull;
    /**
     * Routed messages (at delivery) and broadcasts (at each hop) whose source's signature did not
     * hold or whose {@code from} is not the signing certificate's address: dropped
     * ({@code routed-forged-source}).
     */
    public long forgedSource;
    /** Routed frames that came unsealed to a node whose frames for a site must ride an end-to-end session. */
    public long unsealedFrames;

    public Map<String, Long> toMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("ring.sent", sent);
        out.put("ring.originated", originated);
        out.put("ring.delivered", delivered);
        out.put("ring.forwarded", forwarded);
        out.put("ring.relayed", relayed);
        out.put("ring.noRoute", noRoute);
        out.put("ring.ttlExpired", ttlExpired);
        out.put("ring.hopLimitAbuse", hopLimitAbuse);
        out.put("ring.hopRetries", hopRetries);
        out.put("ring.retriesExhausted", retriesExhausted);
        out.put("ring.fromStranger", fromStranger);
        out.put("ring.malformed", malformed);
        out.put("ring.unknownPayload", unknownPayload);
        out.put("ring.linksUp", linksUp);
        out.put("ring.linksDown", linksDown);
        out.put("ring.linksTrimmed", linksTrimmed);
        out.put("ring.linksDead", linksDead);
        out.put("ring.linksClosedByPeer", linksClosedByPeer);
        out.put("ring.linksRefused", linksRefused);
        out.put("ring.linksAccepted", linksAccepted);
        out.put("ring.connectsAnswered", connectsAnswered);
        out.put("ring.connectsAlreadyLinked", connectsAlreadyLinked);
        out.put("ring.selfLookups", selfLookups);
        out.put("ring.probesLimited", probesLimited);
        out.put("ring.linksRepathed", linksRepathed);
        out.put("ring.connectFallbacks", connectFallbacks);
        out.put("ring.relayedLinks", relayedLinks);
        out.put("ring.relayedToDirect", relayedToDirect);
        out.put("ring.tcpFallbacks", tcpFallbacks);
        out.put("ring.broadcastsOriginated", broadcastsOriginated);
        out.put("ring.broadcastsDelivered", broadcastsDelivered);
        out.put("ring.broadcastDuplicates", broadcastDuplicates);
        out.put("ring.broadcastsOverBudget", broadcastsOverBudget);
        out.put("ring.broadcastsStopped", broadcastsStopped);
        out.put("ring.broadcastRangeRefused", broadcastRangeRefused);
        out.put("ring.broadcastBeyondOrigin", broadcastBeyondOrigin);
        out.put("ring.inflightFull", inflightFull);
        out.put("ring.pendingFull", pendingFull);
        out.put("ring.forgedSource", forgedSource);
        out.put("ring.unsealedFrames", unsealedFrames);
        return out;
    }
}
