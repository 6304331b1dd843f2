package io.ringswitch.overlay.ring;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How a peer is reached: a direct UDP endpoint, a TCP connection to an endpoint, a relay
 * through a third node that carries the pair's ciphertext, or the ring's greedy routing, whose
 * nodes carry the pair's ciphertext in routed messages. The ring code keeps paths and hands
 * them back to its transport, and never looks inside one.
 */
public sealed interface PeerPath {

    /** The path's kind as status shows it: {@code udp}, {@code tcp}, {@code relay} or {@code ring}. */
    String kind();

    /** The path to the endpoint a contact advertises. */
    static PeerPath of(Contact contact) {
        return new Udp(contact.endpoint());
    }

    /**
     * A direct UDP path to {@code endpoint}. A class rather than a record so that it keeps its hash:
     * the link table finds the link of every datagram by its path, and a record's hash walks the
     * endpoint, its holder, the address and the address's holder, four objects that miss the cache
     * when a simulator holds 100,000 nodes. Equal, and hashed, exactly as the record was.
     */
    final class Udp implements PeerPath {
        private final InetSocketAddress endpoint;
        private final int hash;

        public Udp(InetSocketAddress endpoint) {
            this.endpoint = endpoint;
            this.hash = Objects.hashCode(endpoint);
        }

        public InetSocketAddress endpoint() {
            return endpoint;
        }

        @Override
        public String kind() {
            return "udp";
        }

        @Override
        public boolean equals(Object o) {
            return o == this || o instanceof Udp u && u.hash == hash && Objects.equals(u.endpoint, endpoint);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return "udp:" + endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort();
        }
    }

    /** A TCP connection to {@code endpoint} (where UDP does not get through), framed, carrying the same records. */
    record Tcp(InetSocketAddress endpoint) implements PeerPath {
        @Override
        public String kind() {
            return "tcp";
        }

        @Override
        public String toString() {
            return "tcp:" + endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort();
        }
    }

    /** Through {@code via}, a node linked to both ends, which forwards the pair's sealed records to {@code peer}. */
    record Relay(RingAddress via, RingAddress peer) implements PeerPath {
        @Override
        public String kind() {
            return "relay";
        }

        @Override
        public String toString() {
            return "relay:" + via.shortString() + ">" + peer.shortString();
        }
    }

    /**
     * Over the ring's greedy routing to {@code peer}: the pair's handshake and sealed records ride
     * routed messages, so the nodes on the route carry bytes they can neither open nor alter. Never
     * a link's path; the secure layer's end-to-end session with a site it has no link to.
     */
    record Routed(RingAddress peer) implements PeerPath {
        @Override
        public String kind() {
            return "ring";
        }

        @Override
        public String toString() {
            return "ring:" + peer.shortString();
        }
    }
}
