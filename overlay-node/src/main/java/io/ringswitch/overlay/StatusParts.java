package io.ringswitch.overlay;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.link.Link;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ring's parts of the node's status file, from its counters and links. */
final class StatusParts {
    private StatusParts() {
    }

    static NodeStatus.DhtRecordStats dhtRecordStats(Dht dht) {
        DhtCounters c = dht.counters();
        Map<String, Long> refused = new LinkedHashMap<>();
        refused.put("bad-signature", c.recordBadSignature());
        refused.put("not-a-member", c.recordNotMember());
        refused.put("future-timestamp", c.recordFutureTimestamp());
        refused.put("not-owner", c.recordNotOwner());
        refused.put("unsigned", c.recordUnsigned());
        refused.put("expired", c.recordExpired());
        refused.put("malformed", c.recordMalformed());
        refused.put("release-by-non-holder", c.releaseRefused());
        return new NodeStatus.DhtRecordStats(dht.recordsSigned(), refused, c.replicaDisagreements());
    }

    static NodeStatus.RingStats ringStats(RingCounters c) {
        return new NodeStatus.RingStats(c.sent(), c.originated(), c.delivered(), c.forwarded(), c.relayed(), c.noRoute(),
                c.ttlExpired(), c.hopLimitAbuse(), c.hopRetries(), c.retriesExhausted(), c.fromStranger(), c.malformed(),
                c.unknownPayload(), c.linksUp(), c.linksDown(), c.linksTrimmed(), c.linksDead(), c.linksClosedByPeer(),
                c.linksRefused(), c.linksAccepted(), c.connectsAnswered(), c.connectsAlreadyLinked(), c.selfLookups(),
                c.broadcastsOriginated(), c.broadcastsDelivered(), c.broadcastDuplicates(), c.onDemandRequested());
    }

    static NodeStatus.LinkStatus linkStatus(Link link) {
        List<String> claims = new ArrayList<>();
        link.claims().forEach(c -> claims.add(c.name().toLowerCase()));
        if (link.peerClaim() != null) {
            claims.add("peer:" + link.peerClaim().name().toLowerCase());
        }
        return new NodeStatus.LinkStatus(link.address().toString(), link.path().toString(), link.path().kind(), claims,
                link.rttMillis());
    }
}
