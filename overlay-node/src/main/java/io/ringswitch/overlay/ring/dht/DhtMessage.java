package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What DHT nodes say to each other, inside routed messages of payload type DHT. A
 * {@link Request} travels to the node nearest its key, which answers the requester with a
 * {@link Reply}; {@link Store} carries whole keys to replica holders; {@link Fetch} and
 * {@link FetchReply} let the node nearest a key read what the other holders have before it
 * decides a create or answers a get it could not answer alone. {@link DhtMessageCodec} is the
 * only place that knows their bytes.
 */
sealed interface DhtMessage {

    /** What a request asks for. */
    enum Op {
        GET, PUT, CREATE;

        static Op ofCode(int code) {
            Op[] all = values();
            return code >= 0 && code < all.length ? all[code] : null;
        }
    }

    /** A get, put or create-if-absent; {@code value} is empty and {@code ttlMillis} 0 for a get. */
    record Request(long id, Op op, DhtKey key, byte[] value, long ttlMillis) implements DhtMessage {
        @Override
        public boolean equals(Object o) {
            return o instanceof Request r && id == r.id && op == r.op && key.equals(r.key) && Arrays.equals(value, r.value)
                    && ttlMillis == r.ttlMillis;
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, op, key, ttlMillis) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Request[" + id + " " + op + " " + key + ", " + value.length + " B, " + ttlMillis + " ms]";
        }
    }

    /**
     * The answer to the request {@code id}, with the hops the request took, the key's live values,
     * and the nodes the answering node counts as the key's holders (empty when they did not fit):
     * a reader whose answer held no record it could accept asks those holders itself, so that one
     * holder (its clock skewed, or lying) cannot hide what the others keep.
     */
    record Reply(long id, DhtStatus status, int requestHops, List<DhtValue> values, List<RingAddress> holders)
            implements DhtMessage {
        public Reply {
            values = List.copyOf(values);
            holders = List.copyOf(holders);
        }

        /** A reply that names no holders. */
        public Reply(long id, DhtStatus status, int requestHops, List<DhtValue> values) {
            this(id, status, requestHops, values, List.of());
        }
    }

    /** Keys for the receiver, each one of the three kinds of {@link Entry}. */
    record Store(List<Entry> entries) implements DhtMessage {
    }

    /**
     * One key of a {@link Store}. With values and holders: a holder's push, naming the nodes the
     * sender counts as the key's holders. With values and no holders: a hand-off from a node that
     * is none of them, routed to the node nearest the key. With holders and no values: a release,
     * telling a former holder that these nodes, all nearer the key, hold it now.
     */
    record Entry(DhtKey key, List<DhtValue> values, List<RingAddress> holders) {
    }

    /** Asks a holder for its values of {@code key}; {@code creating}: the asker decides a create. */
    record Fetch(long id, DhtKey key, boolean creating) implements DhtMessage {
    }

    /** A holder's values for a {@link Fetch}; {@code busy}: it decides a create of the key itself, and is nearer. */
    record FetchReply(long id, boolean busy, List<DhtValue> values) implements DhtMessage {
    }
}
