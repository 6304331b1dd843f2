package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the ring's messages and their encoded bytes, in all, by kind of message, and those of the
 * DHT. Each kind's count is a cell found by the message's class ({@link ClassValue}, no map
 * lookup or boxing per message: a run of 100,000 nodes sends a hundred million).
 */
final class TrafficMeter {
    /** Bytes sent by kind of message, keyed by the class's simple name, in order of name. */
    private final Map<String, long[]> bytesByKind = new TreeMap<>();
    private final ClassValue<long[]> cells = new ClassValue<>() {
        @Override
        protected long[] computeValue(Class<?> type) {
            return bytesByKind.computeIfAbsent(type.getSimpleName(), k -> new long[1]);
        }
    };
    private long bytes;
    private long messages;
    private long dhtBytes;

    void sent(RingMessage message) {
        int size = RingMessageCodec.sizeOf(message);
        bytes += size;
        messages++;
        cells.get(message.getClass())[0] += size;
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
        Map<String, Long> out = new LinkedHashMap<>();
        bytesByKind.forEach((kind, b) -> out.put(kind, b[0]));
        return out;
    }

    /** Bytes per node per second by kind of message since {@code mark}. */
    Map<String, Long> ratesSince(Map<String, Long> mark, int nodes, double seconds) {
        Map<String, Long> out = new LinkedHashMap<>();
        bytesByKind.forEach((kind, b) -> out.put(kind,
                Math.round((b[0] - mark.getOrDefault(kind, 0L)) / (double) nodes / seconds)));
        return out;
    }
}
