package io.ringswitch.overlay.secure;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.ring.PeerPath;

/**
 * One session with a peer: the keys of one handshake, a record cipher per direction, and the
 * certificate's ring address that every record from it is bound to. A responder sends on a
 * session only once a record from the initiator proved that the initiator has the keys. The
 * path is where the peer's records come from (a UDP endpoint, a TCP connection, a relay); it
 * changes when the peer roams (its NAT maps it anew, or it moves between a relay and a direct
 * path), and only {@link SessionTable#roam} changes it. Confined to the event loop.
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
    boolean confirmed;
    /** The highest record counter opened on this session; -1 before the first. */
    long newestCounter = -1;

    Session(PeerPath path, RingAddress peer, String peerName, RecordCipher send, RecordCipher receive,
            int localIndex, boolean initiator, long created, boolean renewal) {
        this.path = path;
        this.peer = peer;
        this.peerName = peerName;
        this.send = send;
        this.receive = receive;
        this.localIndex = localIndex;
        this.initiator = initiator;
        this.created = created;
        this.renewal = renewal;
    }

    /** Whether records may be sealed on it now. */
    boolean usable(long now, long rejectAfterNanos) {
        return (initiator || confirmed) && now - created < rejectAfterNanos && send.sealed() < RecordCipher.MAX_RECORDS;
    }
}
