package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * What the secure layer keeps for one peer endpoint: the ring address it belongs to, its sessions, newest first (the newest
 * sends; older ones still open records until they expire), the datagrams waiting for a session,
 * the one handshake this node may have started there, and when records last crossed each way.
 * {@link SessionTable} holds one per endpoint and owns the rules. Confined to the event loop.
 */
final class Peer {
    /**
     * The ring address this path belongs to: the certificate's of the first session made here (a
     * relay path names it itself). Every session kept here is that peer's; a handshake on this path
     * that proves another certificate is refused ({@link SessionTable#established}), so that nothing
     * sealed for the path's peer goes out under another member's keys. Null until the first session.
     */
    RingAddress owner;
    final Deque<Session> sessions = new ArrayDeque<>();
    /** Datagrams waiting for a session; only {@link WaitingDatagrams} adds and takes. */
    final Deque<Object> queue = new ArrayDeque<>();
    /** Bytes of {@link #queue} as {@link WaitingDatagrams} counts them. */
    long queuedBytes;
    int pendingIndex;
    long lastAttempt;
    int attempts;
    boolean pendingRenewal;
    long lastUnknown;
    /** When a handshake this node started here was last refused; 0 for never. A renewal waits a second after one. */
    long lastRefused;
    /** When the first record sealed for this peer since the last one from it left; 0 for none. */
    long firstUnanswered;
    /** When a record (keepalives included) last left for this peer. */
    long lastSent;
    /** When a record from this peer last opened; 0 for never. */
    long lastHeard;
    /** When the keepalive for the current silence of the peer left; 0 for none. */
    long probed;

    /**
     * The session to seal with: the newest the peer has proven it holds (a record came on it),
     * else the newest this node initiated and may use at once; null when none.
     */
    Session sending(long now, long rejectAfterNanos) {
        Session chosen = null;
        for (Session s : sessions) {
            if (s.usable(now, rejectAfterNanos) && (s.confirmed || chosen == null)) {
                chosen = s;
                if (s.confirmed) {
                    break;
                }
            }
        }
        return chosen;
    }

    /** The newest session records crossed both ways on and that may still seal; null when none. */
    Session confirmed(long now, long rejectAfterNanos) {
        for (Session s : sessions) {
            if (s.confirmed && s.usable(now, rejectAfterNanos)) {
                return s;
            }
        }
        return null;
    }

    /**
     * The session to send a keepalive on now, or null. A peer with a confirmed session gets one
     * when nothing was sent to it for {@code keepaliveNanos} (NATs forget idle mappings, some in
     * 30 s), and once when it fell silent for {@code probeNanos} while this node sent nothing
     * either: if a NAT in front of this node mapped it anew, the peer seals for the old mapping
     * and hears nothing, and one record from the new mapping moves the peer's sessions (it roams)
     * before its ring takes the link for dead. None while records flow.
     */
    Session keepaliveDue(long now, long keepaliveNanos, long probeNanos, long rejectAfterNanos) {
        if (now - lastSent < Math.min(keepaliveNanos, probeNanos)) {
            return null;
        }
        boolean idle = now - lastSent >= keepaliveNanos;
        boolean silent = lastHeard != 0 && now - lastHeard >= probeNanos && probed - lastHeard <= 0;
        Session s = idle || silent ? confirmed(now, rejectAfterNanos) : null;
        if (s != null && silent) {
            probed = now;
        }
        return s;
    }

    /** Takes out the sessions with {@code peer}, newest first. */
    List<Session> takeSessionsOf(RingAddress peer) {
        List<Session> out = new ArrayList<>();
        for (Iterator<Session> it = sessions.iterator(); it.hasNext(); ) {
            Session s = it.next();
            if (s.peer.equals(peer)) {
                out.add(s);
                it.remove();
            }
        }
        return out;
    }

    /**
     * Adds sessions moved here from another endpoint, keeping the newest first; returns those
     * beyond {@code max} (the oldest), taken out, for the caller to drop.
     */
    List<Session> adopt(List<Session> moved, int max) {
        List<Session> all = new ArrayList<>(sessions);
        all.addAll(moved);
        all.sort(Comparator.comparingLong((Session s) -> s.created).reversed());
        sessions.clear();
        List<Session> extra = new ArrayList<>();
        for (Session s : all) {
            (sessions.size() < max ? sessions : extra).add(s);
        }
        return extra;
    }

    /** Whether nothing is left here: no session, no handshake, nothing waiting. */
    boolean idle() {
        return sessions.isEmpty() && pendingIndex == 0 && queue.isEmpty();
    }
}
