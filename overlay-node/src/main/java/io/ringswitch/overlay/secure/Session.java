package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.ring.PeerPath;
import java.time.Instant;

/**
 * One session with a peer: the keys of one handshake, a record cipher per direction, and the
 * certificate's ring address that every record from it is bound to. A responder sends on a
 * session only once a record from the initiator proved that the initiator has the keys. The
 * path is where the peer's records come from (a UDP endpoint, a TCP connection, a relay); it
 * changes when the peer roams (its NAT maps it anew, or it moves between a relay and a direct
 * path), and only {@link SessionTable#roam} changes it. A session never outlives the
 * certificates that opened it: it ends ({@link #endsAt}) when the first of the two certificates its
 * handshake proved ends, whatever its age, and a renewed certificate takes a new handshake to be
 * proved (issue 19). Confined to the event loop.
 */
final class Session {
    PeerPath path;
    final RingAddress peer;
    final String peerName;
    final RecordCipher send;
    final RecordCipher receive;
    final int localIndex;
    final boolean initiator;
    final long created;
    final boolean renewal;
    /** On the table's clock: when the first of the two certificates proved in the handshake ends. */
    final long endsAt;
    /** When the certificate this node proved in the handshake ends (a renewed one is newer). */
    final Instant provedUntil;
    boolean confirmed;
    /** The highest record counter opened on this session; -1 before the first. */
    long newestCounter = -1;

    Session(PeerPath path, RingAddress peer, String peerName, RecordCipher send, RecordCipher receive,
            int localIndex, boolean initiator, long created, boolean renewal, long endsAt, Instant provedUntil) {
        this.path = path;
        this.peer = peer;
        this.peerName = peerName;
        this.send = send;
        this.receive = receive;
        this.localIndex = localIndex;
        this.initiator = initiator;
        this.created = created;
        this.renewal = renewal;
        this.endsAt = endsAt;
        this.provedUntil = provedUntil;
    }

    /** Whether records may be sealed on it now. */
    boolean usable(long now, long rejectAfterNanos) {
        return (initiator || confirmed) && now - created < rejectAfterNanos && !outlived(now)
                && send.sealed() < RecordCipher.MAX_RECORDS;
    }

    /** Whether one of the certificates the session was opened with has ended. */
    boolean outlived(long now) {
        return now - endsAt >= 0;
    }
}
