package io.ringswitch.overlay.ring.routing;

import io.ringswitch.overlay.ring.message.RingMessage;

/**
 * A diagnostic hook, for tests only: what this node passes on for others and what it takes in
 * from the ring's routing, as the node holds it. The security demo's insider case records both
 * on an intermediate node to show that routed frames between two other sites are ciphertext to
 * it (issue 18). Off unless a node is started with one ({@link #NONE}); called on the event loop.
 */
public interface RoutedObserver {
    /** Sees nothing: the default. */
    RoutedObserver NONE = new RoutedObserver() {
        @Override
        public void forwarded(RingMessage.Routed m) {
        }

        @Override
        public void delivered(RingMessage.Routed m) {
        }
    };

    /** A routed message from another node that this node passes on; its payload as it travels. */
    void forwarded(RingMessage.Routed m);

    /** A routed message that ends here, its source's proof checked and taken off the payload. */
    void delivered(RingMessage.Routed m);
}
