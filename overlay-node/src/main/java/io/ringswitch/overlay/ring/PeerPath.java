package io.ringswitch.overlay.ring;

import java.net.InetSocketAddress;

/**
 * How a peer is reached: today a direct UDP endpoint; TCP links and relays through a third node
 * are further kinds. The ring code keeps paths and hands them back to its transport, and never
 * looks inside one.
 */
public sealed interface PeerPath {

    /** The path to the endpoint a contact advertises. */
    static PeerPath of(Contact contact) {
        return new Udp(contact.endpoint());
    }

    /** A direct UDP path to {@code endpoint}. */
    record Udp(InetSocketAddress endpoint) implements PeerPath {
        @Override
        public String toString() {
            return "udp:" + endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort();
        }
    }
}
