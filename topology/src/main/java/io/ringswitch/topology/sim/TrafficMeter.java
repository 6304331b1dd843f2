package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the ring's messages and their encoded bytes, in all, by kind of message, and those of the
 * DHT. Each kind's bytes are a cell of one array, found by comparing the message's class with
 * the nine kinds by identity: no map lookup or boxing per message (a run of 100,000 nodes sends
 * a hundred million), and cheaper than a {@link ClassValue}, which was 3 % of a 50,000-node run.
 */
final class TrafficMeter {
    /** The kinds of message, in order of their simple names (the order reports list them in). */
    private static final Class<?>[] KINDS = Arrays.stream(RingMessage.class.getPermittedSubclasses())
            .sorted(Comparator.comparing(Class::getSimpleName)).toArray(Class<?>[]::new);
    /** Bytes sent by kind of message, at the kind's place in {@link #KINDS}. */
    private final long[] bytesByKind = new long[KINDS.length];
    private long bytes;
    private long messages;
    private long dhtBytes;

    void sent(RingMessage message) {
        int size = RingMessageCodec.sizeOf(message);
        bytes += size;
        messages++;
        bytesByKind[kindOf(message.getClass())] += size;
        if (message instanceof RingMessage.Routed r && r.payloadType() == PayloadTypes.DHT) {
            dhtBytes += size;
        }
    }

    private static int kindOf(Class<?> type) {
        for (int i = 0; i < KINDS.length; i++) {
            if (KINDS[i] == type) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a ring message: " + type);
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

    /** A mark to measure a window from: bytes so far by kind of message, of the kinds sent so far. */
    Map<String, Long> mark() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < KINDS.length; i++) {
            if (bytesByKind[i] > 0) {
                out.put(KINDS[i].getSimpleName(), bytesByKind[i]);
            }
        }
        return out;
    }

    /** Bytes per node per second since {@code mark} by kind of message, of the kinds sent so far, in order of name. */
    Map<String, Long> ratesSince(Map<String, Long> mark, int nodes, double seconds) {
        Map<String, Long> out = new LinkedHashMap<>();
        mark().forEach((kind, bytes) -> out.put(kind,
                Math.round((bytes - mark.getOrDefault(kind, 0L)) / (double) nodes / seconds)));
        return out;
    }
}
