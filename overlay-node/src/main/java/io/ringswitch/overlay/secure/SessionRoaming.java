package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.PeerPath;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a peer's new path (its NAT mapped it anew, or it moved) into its sessions moved there in
 * a {@link SessionTable}, so that this node's records follow it instead of the link dying (issue
 * 10). Split out of the table, whose peers it works on. Confined to the event loop, like the table.
 */
final class SessionRoaming {
    private static final Logger log = LoggerFactory.getLogger(SessionTable.class);

    private final SessionTable table;
    private final SecurityCounters counters;

    SessionRoaming(SessionTable table, SecurityCounters counters) {
        this.table = table;
        this.counters = counters;
    }

    /**
     * The peer of {@code s} now sends from {@code to}: its sessions there move to {@code to},
     * merged with any it already has at {@code to}. The caller checked that a record from
     * {@code to} opened on {@code s} and was the newest on it. What waited at {@code to} leaves
     * now; what waits at the old endpoint stays there (its handshake, if any, runs out on its own).
     * <p>
     * False, and nothing moves, when {@code to} belongs to another peer: a group member that
     * sends its records with another member's address as source must not take that member's
     * endpoint.
     */
    boolean roam(Session s, PeerPath to) {
        Peer there = table.peers().get(to);
        if (there != null && there.owner != null && !there.owner.equals(s.peer)) {
            return false;
        }
        PeerPath from = s.path;
        Peer old = table.peers().get(from);
        List<Session> moving = old == null ? List.of(s) : old.takeSessionsOf(s.peer);
        boolean fresh = there == null;
        Peer target = fresh ? new Peer() : there;
        target.owner = s.peer;
        table.peers().put(to, target);
        moving.forEach(m -> m.path = to);
        target.adopt(moving, SessionTable.SESSIONS_PER_PEER).forEach(table::drop);
        if (old != null) {
            if (fresh || old.lastSent - target.lastSent > 0) {
                target.lastSent = old.lastSent;
            }
            if (old.idle()) {
                table.peers().remove(from);
            }
        }
        counters.roamed.inc();
        log.atInfo().addKeyValue("peer", s.peerName).addKeyValue("path", String.valueOf(to)).addKeyValue("from", String.valueOf(from))
                .log("{} ({}) roamed from {} to {}", s.peerName, s.peer.shortString(), from, to);
        table.flush(target);
        return true;
    }
}
