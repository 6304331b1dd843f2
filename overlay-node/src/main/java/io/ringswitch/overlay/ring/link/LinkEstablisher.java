package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.RingMessage;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Makes links: sends link requests and answers them, asking the {@link LinkEvents admission
 * policy} before it accepts one. A request names the claim the link is for; the claim is held by
 * the sender, or, when the request answers a CONNECT, by the node that routed the CONNECT.
 */
public final class LinkEstablisher {
    private static final long PENDING_MILLIS = 5000;

    private record Pending(Contact contact, Claim claim, boolean forPeer, long sentAt) {
    }

    private final LinkTable table;
    private final RingCounters counters;
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Set<RingAddress> pendingAddresses = new HashSet<>();
    private LinkEvents events;

    public LinkEstablisher(LinkTable table) {
        this.table = table;
        this.counters = table.counters();
    }

    public void attach(LinkEvents events) {
        this.events = events;
    }

    /**
     * Asks {@code contact} for a link for {@code claim}. With {@code forPeer} the request answers
     * the peer's CONNECT, whose token is the {@code nonce}, and the peer holds the claim.
     */
    public void request(Contact contact, Claim claim, long nonce, boolean forPeer) {
        pending.put(nonce, new Pending(contact, claim, forPeer, table.now()));
        if (contact.address() != null) {
            pendingAddresses.add(contact.address());
        }
        table.sendTo(PeerPath.of(contact), new RingMessage.LinkRequest(table.me(), claim, nonce, table.nearContacts()));
    }

    /** Addresses a request is under way to. */
    public Collection<RingAddress> pendingAddresses() {
        return pendingAddresses;
    }

    public boolean isPending(RingAddress address) {
        return pendingAddresses.contains(address);
    }

    /** Forgets requests nobody answered. */
    public void expire() {
        long now = table.now();
        pending.values().removeIf(p -> {
            boolean old = now - p.sentAt() > PENDING_MILLIS;
            if (old && p.contact().address() != null) {
                pendingAddresses.remove(p.contact().address());
            }
            return old;
        });
    }

    public void clear() {
        pending.clear();
        pendingAddresses.clear();
    }

    public void onRequest(PeerPath from, RingMessage.LinkRequest m) {
        Link atPath = table.at(from);
        if (atPath != null && !atPath.address().equals(m.from())) {
            table.remove(atPath, "its path now answers for another address");
        }
        boolean ours = events.takeConnectToken(m.nonce());
        boolean accept = events.admit(m.from(), m.claim(), table.contains(m.from()), ours);
        if (accept) {
            counters.linksAccepted++;
            Link link = table.add(new Contact(m.from(), endpointOf(from, m.from())), from, m.claim() != Claim.JOIN);
            made(link, m.claim(), ours);
        } else {
            counters.linksRefused++;
        }
        table.sendTo(from, new RingMessage.LinkReply(table.me(), m.claim(), accept, m.nonce(), table.nearContacts()));
        events.candidates(m.neighbours());
    }

    public void onReply(PeerPath from, RingMessage.LinkReply m) {
        Pending asked = pending.remove(m.nonce());
        if (asked == null || (asked.contact().address() != null && !asked.contact().address().equals(m.from()))) {
            counters.fromStranger++;
            if (asked != null) {
                pending.put(m.nonce(), asked);
            }
            return;
        }
        if (asked.contact().address() != null) {
            pendingAddresses.remove(asked.contact().address());
        }
        if (m.accepted()) {
            Link link = table.add(new Contact(m.from(), asked.contact().endpoint()), from, asked.claim() != Claim.JOIN);
            link.rttMillis = table.now() - asked.sentAt();
            made(link, asked.claim(), !asked.forPeer());
            if (asked.claim() == Claim.JOIN) {
                // A bootstrap node's neighbours are of no use to a joiner: it looks itself up instead.
                return;
            }
        }
        events.candidates(m.neighbours());
    }

    private void made(Link link, Claim claim, boolean holder) {
        if (holder) {
            link.claim(claim);
        } else {
            link.peerClaim = claim;
            link.peerDeclared = true;
        }
        if (claim == Claim.NEAR) {
            table.markJoined();
        }
        events.established(link, claim, holder);
    }

    private static java.net.InetSocketAddress endpointOf(PeerPath path, RingAddress address) {
        if (path instanceof PeerPath.Udp udp) {
            return udp.endpoint();
        }
        throw new IllegalStateException("no endpoint for " + address.shortString() + " on " + path);
    }
}
