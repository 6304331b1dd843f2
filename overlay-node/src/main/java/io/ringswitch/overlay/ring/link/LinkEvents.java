package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.Claim;
import java.net.InetSocketAddress;
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
     * CONNECT, or crosses the answer this node gave to the peer's CONNECT.
     */
    boolean admit(RingAddress from, Claim claim, boolean known, boolean answersOurConnect);

    /** A link request answers this node's CONNECT with this token (still true for a repeated one). */
    boolean takeConnectToken(long token);

    /**
     * A link request carries the token of a CONNECT this node answered: the requester crossing
     * this node's own request (hole punching), admitted like the answer to a CONNECT.
     */
    boolean answeredConnect(long token);

    /**
     * A request of this node's own for a link to {@code contact} got no answer in time: the peer
     * may sit behind a NAT that drops what it did not ask for, and a routed CONNECT can punch it.
     */
    void unanswered(Contact contact, Claim claim);

    /**
     * Nothing came over {@code link} for two near keepalive intervals: the peer's NAT mapping may
     * have changed, and a NAT on this side lets in only the peer's old endpoint. A routed CONNECT
     * makes both sides punch again, and the link follows the new path.
     */
    void silent(Link link);

    /** A link was made (or confirmed); {@code holder} says whether this node holds {@code claim}. */
    void established(Link link, Claim claim, boolean holder);

    /** Nodes a peer named as its neighbours: candidates for this node's own. */
    void candidates(List<Contact> contacts);

    /**
     * The endpoint {@code peer} advertised in a CONNECT or its reply, {@code null} if none was
     * seen: the contact of a link made over a relay, which has no endpoint of its own.
     */
    InetSocketAddress endpointOf(RingAddress peer);

    /** A link that went over a relay moved to a direct path. */
    void direct(Link link);
}
