package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Counts the ring's messages and their encoded bytes, in all, by kind of message, and those of the DHT. */
final class TrafficMeter {
    private final Map<String, Long> bytesByKind = new TreeMap<>();
    private long bytes;
    private long messages;
    private long dhtBytes;

    void sent(RingMessage message) {
        int size = RingMessageCodec.sizeOf(message);
        bytes += size;
        messages++;
        bytesByKind.merge(message.getClass().getSimpleName(), (long) size, Long::sum);
        if (message instanceof RingMessage.Routed r && r.payloadType() == PayloadTypes.DHT) {
            dhtBytes += size;
        }
    }

    /** Bytes of routed messages that carried DHT payloads. */
    long dhtBytes() {
        return dhtBytes;
    }

    long bytes() {
        return bytes;
    }

    long messages() {
        return messages;
    }

    /** A mark to measure a window from. */
    Map<String, Long> mark() {
        return new LinkedHashMap<>(bytesByKind);
    }

    /** Bytes per node per second by kind of message since {@code mark}. */
    Map<String, Long> ratesSince(Map<String, Long> mark, int nodes, double seconds) {
        Map<String, Long> out = new LinkedHashMap<>();
        bytesByKind.forEach((kind, b) -> out.put(kind, Math.round((b - mark.getOrDefault(kind, 0L)) / (double) nodes / seconds)));
        return out;
    }
}
