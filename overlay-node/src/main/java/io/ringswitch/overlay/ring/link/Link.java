package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.Claim;
import java.util.EnumSet;
import java.util.Set;

/**
 * A link to another node as this node sees it: the peer, the path it is reached by, who claims the
 * link on either side, and its liveness. Owned by the {@link LinkTable}; touched only on the node's
 * thread.
 */
public final class Link {
    /** The peer and the endpoint it is known by; the endpoint follows the path's ({@link LinkTable#repath}). */
    Contact contact;
    /**
     * The peer's address, which never changes (only the contact's endpoint does): held here as well
     * as in the contact so that the lookups that read it for every message, sorting and routing
     * among them, follow one pointer less (a cache miss each when a simulator holds 100,000 nodes).
     */
    private final RingAddress address;
    /** Changed only by {@link LinkTable#repath}, which keeps its index right. */
    PeerPath path;
    private final long created;
    /**
     * The claims this node holds, one bit per {@link Claim} by its ordinal: read for every link
     * every second and with every keepalive, and an {@code EnumSet} was one more object to reach
     * (a cache miss per link when a simulator holds 100,000 nodes).
     */
    private int claims;
    /** Set up for the ring (near or shortcut) rather than to carry a join only. */
    boolean routable;
    /** The claim the peer said it holds ({@code null}: none), and whether it has said so yet. */
    Claim peerClaim;
    boolean peerDeclared;
    long lastHeard;
    long lastSent;
    long suspectUntil;
    long rttMillis = -1;
    /** When {@link #rttMillis} was measured by a ping (a link request's time includes its handshake). */
    long rttPingedAt = -1;
    long pingNonce;
    long pingSent;
    boolean listed;
    /** Bytes and records (ring messages and frames) that came and went over the link, counted on the node's thread. */
    long bytesIn;
    long bytesOut;
    long recordsIn;
    long recordsOut;

    Link(Contact contact, PeerPath path, long now) {
        this.contact = contact;
        this.address = contact.address();
        this.path = path;
        this.created = now;
        this.lastHeard = now;
    }

    public Contact contact() {
        return contact;
    }

    public RingAddress address() {
        return address;
    }

    public PeerPath path() {
        return path;
    }

    public long created() {
        return created;
    }

    /** Round-trip time last measured on this link, -1 while unknown. */
    public long rttMillis() {
        return rttMillis;
    }

    /** The claims this node holds on the link, as a copy. */
    public Set<Claim> claims() {
        EnumSet<Claim> out = EnumSet.noneOf(Claim.class);
        for (Claim claim : Claim.values()) {
            if (claimedBy(claim)) {
                out.add(claim);
            }
        }
        return out;
    }

    /** Whether this node holds no claim on the link. */
    public boolean unclaimed() {
        return claims == 0;
    }

    public boolean claimedBy(Claim claim) {
        return (claims & 1 << claim.ordinal()) != 0;
    }

    public void claim(Claim claim) {
        claims |= 1 << claim.ordinal();
    }

    public void release(Claim claim) {
        claims &= ~(1 << claim.ordinal());
    }

    /** The strongest claim this node holds, as keepalives tell the peer; {@code null} for none. */
    public Claim strongestClaim() {
        if (claimedBy(Claim.NEAR)) {
            return Claim.NEAR;
        }
        if (claimedBy(Claim.SHORTCUT)) {
            return Claim.SHORTCUT;
        }
        if (claimedBy(Claim.TRAFFIC)) {
            return Claim.TRAFFIC;
        }
        if (claimedBy(Claim.RELAY)) {
            return Claim.RELAY;
        }
        return claimedBy(Claim.JOIN) ? Claim.JOIN : null;
    }

    /** The claim the peer holds, {@code null} for none or not yet said. */
    public Claim peerClaim() {
        return peerClaim;
    }

    public boolean peerDeclared() {
        return peerDeclared;
    }

    /** Near links carry the ring's consistency: they are watched more closely than others. */
    public boolean near() {
        return claimedBy(Claim.NEAR) || peerClaim == Claim.NEAR;
    }

    public boolean routable() {
        return routable;
    }

    /** Excluded from routing until then, after a hop that went unacknowledged. */
    public boolean suspect(long now) {
        return suspectUntil > now;
    }

    public void suspectUntil(long until) {
        suspectUntil = until;
    }

    /**
     * Whether frames for the peer may take this link at {@code now}: it is routable, and either not
     * suspect or heard from within {@code heardWithinMillis}. A hop acknowledgement that came late
     * (the peer's event loop or this one waited for a core) makes a link suspect for the ring's
     * routing, which has other next hops; frames have none as good: their other way is a session
     * made over the ring first, which drops what does not fit its queue meanwhile. So for frames
     * only silence takes a link out.
     */
    public boolean carriesFrames(long now, long heardWithinMillis) {
        return routable && (suspectUntil <= now || now - lastHeard < heardWithinMillis);
    }

    public long lastHeard() {
        return lastHeard;
    }

    /** {@code records} datagrams of {@code bytes} bytes in all arrived over the link. */
    public void countIn(long bytes, int records) {
        bytesIn += bytes;
        recordsIn += records;
    }

    /** {@code records} datagrams of {@code bytes} bytes in all left over the link. */
    public void countOut(long bytes, int records) {
        bytesOut += bytes;
        recordsOut += records;
    }

    /** Bytes that arrived over the link: ring messages and frames, before the link layer's envelope and seal. */
    public long bytesIn() {
        return bytesIn;
    }

    public long bytesOut() {
        return bytesOut;
    }

    /** Ring messages and frames (each segment of a super-frame one) that arrived over the link. */
    public long recordsIn() {
        return recordsIn;
    }

    public long recordsOut() {
        return recordsOut;
    }
}
