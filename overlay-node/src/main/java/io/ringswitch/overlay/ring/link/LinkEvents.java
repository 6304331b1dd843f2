package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.Claim;
import java.util.List;

/**
 * What the link layer asks of, and tells to, the parts that decide which links a node keeps: the
 * admission policy (NAT traversal and relays will add their rules here) and the news of links
 * made and of candidate neighbours heard of.
 */
public interface LinkEvents {

    /**
     * May a link request from {@code from} for {@code claim} be accepted? {@code known} says a link
     * to it exists already; {@code answersOurConnect} says the request answers this node's own
     * CONNECT (the claim is then this node's).
     */
    boolean admit(RingAddress from, Claim claim, boolean known, boolean answersOurConnect);

    /** A link request answers this node's CONNECT with this token; consumes the token. */
    boolean takeConnectToken(long token);

    /** A link was made (or confirmed); {@code holder} says whether this node holds {@code claim}. */
    void established(Link link, Claim claim, boolean holder);

    /** Nodes a peer named as its neighbours: candidates for this node's own. */
    void candidates(List<Contact> contacts);
}
