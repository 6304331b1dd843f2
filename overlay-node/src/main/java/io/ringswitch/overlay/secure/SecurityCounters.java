package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.PeerPath;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the secure link layer refused and why, and how many sessions it made. Each refusal has its
 * counter (e.g. {@code certificate-expired}, {@code record-forged}); the first of each and then
 * every power of two is logged, and the last {@link #KEEP} refused handshakes (and the newest of
 * each reason) are kept for the status file. Confined to the event loop.
 */
final class SecurityCounters {
    private static final Logger log = LoggerFactory.getLogger(SecurityCounters.class);
    static final int KEEP = 16;
    private final Map<String, Long> refused = new LinkedHashMap<>();
    private final Deque<NodeStatus.Refusal> last = new ArrayDeque<>();
    /**
     * The newest refusal of each reason, so that one frequent reason (a node with an expired
     * certificate retrying) does not push every other out of the status; bounded by the reasons
     * this code names.
     */
    private final Map<String, NodeStatus.Refusal> lastByReason = new HashMap<>();
    long handshakes;
    long rekeys;
    long cookiesSent;
    /** Keepalives sent to hold NAT mappings open (not those that confirm a new session). */
    long keepalivesSent;
    /** Times a peer's sessions moved to a new path of its. */
    long roamed;
    /** Records this node passed on as a relay, and their inner datagrams' bytes. */
    long relayedRecords;
    long relayedBytes;
    /** Peers whose sessions were closed because their certificate was revoked; and those sessions. */
    long revokedPeersClosed;
    long revokedSessionsClosed;

    /** A datagram refused for {@code reason}, counted and (sparingly) logged. */
    void count(String reason, PeerPath from) {
        long n = refused.merge(reason, 1L, Long::sum);
        if (Long.bitCount(n) == 1) {
            log.atWarn().addKeyValue("path", describe(from)).addKeyValue("reason", reason).addKeyValue("count", n)
                    .log("refused a datagram from {}: {} ({} so far)", from, reason, n);
        }
    }

    /** A handshake refused, with what the peer claimed and what failed. */
    void refuse(PeerPath from, String peer, String reason, String detail, long wallMillis) {
        long n = refused.merge(reason, 1L, Long::sum);
        if (Long.bitCount(n) == 1) {
            log.atWarn().addKeyValue("peer", peer == null ? "" : peer).addKeyValue("path", describe(from))
                    .addKeyValue("reason", reason).addKeyValue("detail", detail == null ? "" : detail).addKeyValue("count", n)
                    .log("refused a link from {}{}: {}: {} ({} so far)", from, peer == null ? "" : " (" + peer + ")", reason,
                            detail, n);
        }
        NodeStatus.Refusal r = new NodeStatus.Refusal(describe(from), peer == null ? "" : peer, reason,
                detail == null ? "" : detail, wallMillis);
        last.addLast(r);
        lastByReason.put(reason, r);
        while (last.size() > KEEP) {
            last.removeFirst();
        }
    }

    /** A UDP source as it always read ({@code /10.0.0.5:5800}, what the lab tools match); other paths by kind. */
    private static String describe(PeerPath from) {
        return from instanceof PeerPath.Udp u ? String.valueOf(u.endpoint()) : String.valueOf(from);
    }

    long refused(String reason) {
        return refused.getOrDefault(reason, 0L);
    }

    NodeStatus.SecurityStats snapshot(String group, int sessions, Map<String, Integer> ciphers, Map<String, Long> more) {
        Map<String, Long> all = new LinkedHashMap<>(refused);
        more.forEach((k, v) -> {
            if (v > 0) {
                all.merge(k, v, Long::sum);
            }
        });
        List<NodeStatus.Refusal> recent = new ArrayList<>(last);
        lastByReason.values().stream().filter(r -> !recent.contains(r)).forEach(recent::add);
        recent.sort(Comparator.comparingLong(NodeStatus.Refusal::atMillis));
        return new NodeStatus.SecurityStats(true, group, sessions, handshakes, rekeys, cookiesSent, all, recent, ciphers);
    }
}
