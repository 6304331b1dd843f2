package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.underlay.AuthenticatedDatagram;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.PathChanged;
import io.ringswitch.overlay.underlay.WireFormat;

/**
 * Sealed datagrams into what they carry: finds the record's session, refuses records whose
 * session outlived its certificate or came by a path the session may not use (a relay naming
 * another sender, a routed session's records off the ring), opens the record (which proves the
 * sender holds the session's keys), follows a peer that roamed, and passes frames, ring messages
 * and relayed datagrams on. Runs on the event loop of the {@link SecureLinkHandler} that owns it.
 */
final class RecordOpener {
    private final SessionTable sessions;
    private final SecurityCounters counters;
    private final RelayForwarder relays;

    RecordOpener(SessionTable sessions, SecurityCounters counters, RelayForwarder relays) {
        this.sessions = sessions;
        this.counters = counters;
        this.relays = relays;
    }

    /** Opens the sealed datagram {@code d} from {@code sender} and passes what it carried up {@code ctx}. */
    void open(ChannelHandlerContext ctx, PeerPath sender, ByteBuf d, int type) {
        if (d.readableBytes() < SealedDatagrams.minimum()) {
            counters.count("record-truncated", sender);
            return;
        }
        int index = SealedDatagrams.receiver(d);
        Session s = sessions.byIndex(index);
        if (s == null) {
            if (!sessions.holdEarly(index, d)) {
                counters.count("record-unknown-receiver", sender);
                sessions.unknownSession(sender);
            }
            return;
        }
        if (sessions.outlived(s)) {
            // A certificate this session was opened with has ended: what it proved is void, until
            // the tick drops it and a handshake with a valid certificate makes a new one.
            counters.count("record-certificate-ended", sender);
            return;
        }
        if (sender instanceof PeerPath.Relay relay && !relay.peer().equals(s.peer)) {
            // The relay named another sender than the one this session's certificate proved.
            counters.count("relay-origin-mismatch", sender);
            return;
        }
        if ((sender instanceof PeerPath.Routed || s.path instanceof PeerPath.Routed) && !sender.equals(s.path)) {
            // An end-to-end session over the ring stays there: its records neither come from nor
            // roam to another path, and another session's never come over the ring.
            counters.count("routed-path-mismatch", sender);
            return;
        }
        // Opened before the source is looked at: a record that opens and passes the replay window
        // came from the holder of the session's keys, wherever from.
        long counter = SealedDatagrams.counter(d);
        RecordCipher.Result result = SealedDatagrams.open(s.receive, d);
        if (result != RecordCipher.Result.OPENED) {
            counters.count("record-" + result.name().toLowerCase().replace('_', '-'), sender);
            return;
        }
        if (counter > s.newestCounter) {
            s.newestCounter = counter;
            if (!s.path.equals(sender) && !roam(ctx, s, sender)) {
                return;
            }
        }
        sessions.opened(s);
        // Passed up from the session's path, not the datagram's source: a record delayed from
        // a path the peer has left (it opened, but is not the newest) must not move the link back.
        PeerPath from = s.path;
        if (type == WireFormat.TYPE_SEALED_FRAME) {
            // A frame needs no decoding: straight to the frame path, from the certificate's site.
            ctx.fireChannelRead(new InboundFrame(from, SealedDatagrams.plaintext(d), s.peer));
        } else if (type == WireFormat.TYPE_SEALED_RING) {
            ctx.fireChannelRead(new AuthenticatedDatagram(SealedDatagrams.clearView(d, type), from, s.peer));
        } else if (type == WireFormat.TYPE_SEALED_RELAY) {
            relays.relayed(s, d);
        }
    }

    /**
     * The peer of {@code s} sends from {@code to} now (WireGuard's roaming, §2.1 of its paper): its
     * sessions move there, and the ring hears of the new path before the record that showed it, so
     * that the link follows the peer instead of dying. Only the newest record of a session moves
     * it: one delayed from the old endpoint does not move it back. False, and the record is
     * dropped, when {@code to} is another peer's ({@link SessionTable#roam}).
     */
    private boolean roam(ChannelHandlerContext ctx, Session s, PeerPath to) {
        if (!sessions.roam(s, to)) {
            counters.count("roam-endpoint-taken", to);
            return false;
        }
        ctx.fireUserEventTriggered(new PathChanged(s.peer, to));
        return true;
    }
}
