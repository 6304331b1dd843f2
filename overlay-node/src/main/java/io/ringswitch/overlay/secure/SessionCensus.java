package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Turns a {@link SessionTable}'s peers into what the status and the control socket read of them:
 * how many peers have a usable session, by which record cipher, and which ring address a member's
 * name belongs to. Split out of the table; reads only. Confined to the event loop, like the table.
 */
final class SessionCensus {
    private final Map<PeerPath, Peer> peers;
    private final SessionSettings settings;
    private final LongSupplier nanos;

    SessionCensus(Map<PeerPath, Peer> peers, SessionSettings settings, LongSupplier nanos) {
        this.peers = peers;
        this.settings = settings;
        this.nanos = nanos;
    }

    /** The address of a peer with a session whose certificate names {@code name}; null when none has. */
    RingAddress peerNamed(String name) {
        for (Peer p : peers.values()) {
            for (Session s : p.sessions) {
                if (name.equals(s.peerName)) {
                    return s.peer;
                }
            }
        }
        return null;
    }

    /** Peers with a session that records have crossed both ways on (the status's figure). */
    int usable() {
        long now = nanos.getAsLong();
        int n = 0;
        for (Peer p : peers.values()) {
            if (p.confirmed(now, settings.rejectAfterNanos()) != null) {
                n++;
            }
        }
        return n;
    }

    /** Peers' newest usable sessions, by record cipher. */
    Map<String, Integer> ciphers() {
        long now = nanos.getAsLong();
        Map<String, Integer> out = new TreeMap<>();
        for (Peer p : peers.values()) {
            Session s = p.confirmed(now, settings.rejectAfterNanos());
            if (s != null) {
                out.merge(s.send.aead().name(), 1, Integer::sum);
            }
        }
        return out;
    }
}
