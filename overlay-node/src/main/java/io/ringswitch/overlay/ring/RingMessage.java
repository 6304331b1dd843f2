package io.ringswitch.overlay.ring;

import java.util.List;

/**
 * The messages nodes exchange. Link-level messages go to one neighbour; {@link Routed} travels
 * greedily over the ring; {@link Broadcast} covers a range of the ring. {@link RingMessageCodec}
 * is the only place that knows their bytes.
 */
public sealed interface RingMessage {
    /** Link kinds, a bit each: a link may be near and a shortcut at once. */
    int KIND_LEAF = 1;
    int KIND_NEAR = 2;
    int KIND_SHORTCUT = 4;

    /** Routing modes. */
    int MODE_EXACT = 0;
    int MODE_NEAREST = 1;
    /** Nearest to the destination, the source excepted: how a node finds its own neighbours. */
    int MODE_NEAREST_OTHER = 2;

    /** Flags of a routed message. */
    int FLAG_RELIABLE = 1;

    /** Payload types of routed messages and broadcasts. */
    int PAYLOAD_CONNECT = 1;
    int PAYLOAD_DATA = 2;
    int PAYLOAD_PROBE = 3;

    RingAddress from();

    /** Asks the receiver for a link; carries the sender's neighbours as candidates. */
    record LinkRequest(RingAddress from, int kind, long nonce, List<Contact> neighbours) implements RingMessage {
    }

    /** Answers a {@link LinkRequest}. */
    record LinkReply(RingAddress from, int kind, boolean accepted, long nonce, List<Contact> neighbours)
            implements RingMessage {
    }

    /** Keepalive on a link that is otherwise quiet. */
    record Ping(RingAddress from, long nonce) implements RingMessage {
    }

    record Pong(RingAddress from, long nonce) implements RingMessage {
    }

    /** A near neighbour's view: its neighbours, and whether it counts the receiver among them. */
    record Status(RingAddress from, boolean needsYou, List<Contact> neighbours) implements RingMessage {
    }

    /** The sender drops the link (leaving, or trimming); its neighbours help the receiver re-link. */
    record Close(RingAddress from, List<Contact> neighbours) implements RingMessage {
    }

    /** A message routed greedily towards {@code dst}. {@code from} is the source. */
    record Routed(RingAddress from, RingAddress dst, int mode, int ttl, int hops, int flags, long id,
                  int payloadType, byte[] payload) implements RingMessage {
        public Routed hop() {
            return new Routed(from, dst, mode, ttl - 1, hops + 1, flags, id, payloadType, payload);
        }
    }

    /** Confirms that a reliable routed message reached the next hop. */
    record HopAck(RingAddress from, long id) implements RingMessage {
    }

    /** A broadcast covering the ring from the receiver up to (not including) {@code rangeEnd}. */
    record Broadcast(RingAddress from, long id, RingAddress rangeEnd, int ttl, int payloadType, byte[] payload)
            implements RingMessage {
    }
}
