package io.ringswitch.overlay.ring.message;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The messages nodes exchange. Link messages go to one neighbour; {@link Routed} travels greedily
 * over the ring; {@link Broadcast} covers a range of the ring. {@link RingMessageCodec} is the
 * only place that knows their bytes.
 */
public sealed interface RingMessage {

    RingAddress from();

    /** Asks the receiver for a link the sender means to hold for {@code claim}; carries its neighbours. */
    record LinkRequest(RingAddress from, Claim claim, long nonce, List<Contact> neighbours) implements RingMessage {
    }

    /**
     * Answers a {@link LinkRequest}; {@code seen} is the endpoint the request came from as the
     * answerer saw it (the requester's public endpoint behind a NAT), {@code null} when not UDP.
     */
    record LinkReply(RingAddress from, Claim claim, boolean accepted, long nonce, List<Contact> neighbours,
                     InetSocketAddress seen) implements RingMessage {
    }

    /**
     * Keepalive; {@code claim} is the sender's claim on the link, {@code null} for none;
     * {@code seen} is the endpoint the sender last heard the receiver from over the link (so that
     * the side that never pings learns its public endpoint too), {@code null} when not UDP.
     */
    record Ping(RingAddress from, long nonce, Claim claim, InetSocketAddress seen) implements RingMessage {
        /** A ping that says nothing of the receiver's endpoint. */
        public Ping(RingAddress from, long nonce, Claim claim) {
            this(from, nonce, claim, null);
        }
    }

    /**
     * Answers a {@link Ping} with its nonce and the sender's own claim; {@code seen} is the endpoint
     * the ping came from as the answerer saw it, {@code null} when not UDP.
     */
    record Pong(RingAddress from, long nonce, Claim claim, InetSocketAddress seen) implements RingMessage {
    }

    /** A near neighbour's view: its claim on the link and, when its view changed, its neighbours. */
    record Status(RingAddress from, Claim claim, List<Contact> neighbours) implements RingMessage {
    }

    /** The sender drops the link (leaving, or trimming); its neighbours help the receiver re-link. */
    record Close(RingAddress from, List<Contact> neighbours) implements RingMessage {
    }

    /** A message routed greedily towards {@code dst}. {@code from} is the source. */
    record Routed(RingAddress from, RingAddress dst, RoutingMode mode, int ttl, int hops, boolean reliable, long id,
                  int payloadType, byte[] payload) implements RingMessage {
        /** The message as the next hop receives it. */
        public Routed hop() {
            return new Routed(from, dst, mode, ttl - 1, hops + 1, reliable, id, payloadType, payload);
        }

        /** Equal when every field is, the payload's bytes included. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Routed r && from.equals(r.from) && dst.equals(r.dst) && mode == r.mode && ttl == r.ttl
                    && hops == r.hops && reliable == r.reliable && id == r.id && payloadType == r.payloadType
                    && Arrays.equals(payload, r.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, dst, mode, ttl, hops, reliable, id, payloadType) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Routed[" + from.shortString() + " -> " + dst.shortString() + ", " + mode + ", ttl " + ttl + ", hops "
                    + hops + (reliable ? ", reliable" : "") + ", id " + id + ", type " + payloadType + ", "
                    + payload.length + " B]";
        }
    }

    /** Confirms that a reliable routed message reached the next hop. */
    record HopAck(RingAddress from, long id) implements RingMessage {
    }

    /** A broadcast covering the ring from the receiver up to (not including) {@code rangeEnd}. */
    record Broadcast(RingAddress from, long id, RingAddress rangeEnd, int ttl, int payloadType, byte[] payload)
            implements RingMessage {
        /** Equal when every field is, the payload's bytes included. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Broadcast b && from.equals(b.from) && id == b.id && rangeEnd.equals(b.rangeEnd)
                    && ttl == b.ttl && payloadType == b.payloadType && Arrays.equals(payload, b.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, id, rangeEnd, ttl, payloadType) * 31 + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Broadcast[" + from.shortString() + " up to " + rangeEnd.shortString() + ", id " + id + ", ttl " + ttl
                    + ", type " + payloadType + ", " + payload.length + " B]";
        }
    }
}
