package io.ringswitch.overlay.ring.dht;

import java.util.List;

/**
 * The outcome of a DHT operation: its status, the key's live values as the node nearest the key
 * knows them (sorted by their bytes, so that every requester sees them in the same order), and the
 * hops the request and its reply took over the ring ({@code -1} when there was no reply).
 */
public record DhtResult(DhtStatus status, List<DhtValue> values, int requestHops, int replyHops) {

    public DhtResult {
        values = List.copyOf(values);
    }

    /** A result the requester makes up itself (timeout, stop, a refused argument). */
    static DhtResult local(DhtStatus status) {
        return new DhtResult(status, List.of(), -1, -1);
    }

    /** The first value, or {@code null}: the winner of a create, whoever asked. */
    public byte[] first() {
        return values.isEmpty() ? null : values.get(0).bytes();
    }
}
