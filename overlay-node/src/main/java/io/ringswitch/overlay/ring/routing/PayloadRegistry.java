package io.ringswitch.overlay.ring.routing;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.message.RingMessage;
import java.util.HashMap;
import java.util.Map;

/** Which handler takes which payload type. A payload nobody registered for is counted and dropped. */
public final class PayloadRegistry {
    private final Map<Integer, PayloadHandler> handlers = new HashMap<>();
    private final RingCounters counters;

    public PayloadRegistry(RingCounters counters) {
        this.counters = counters;
    }

    public void register(int payloadType, PayloadHandler handler) {
        if (handlers.putIfAbsent(payloadType, handler) != null) {
            throw new IllegalStateException("payload type " + payloadType + " has a handler already");
        }
    }

    void deliver(RingMessage.Routed message) {
        PayloadHandler handler = handlers.get(message.payloadType());
        if (handler == null) {
            counters.unknownPayload.inc();
        } else {
            handler.delivered(message);
        }
    }

    /** Whether the handler of {@code payloadType} lets this broadcast be delivered and passed on (see {@link PayloadHandler#passesOn}). */
    boolean passesOn(int payloadType, RingAddress origin, byte[] payload) {
        PayloadHandler handler = handlers.get(payloadType);
        return handler == null || handler.passesOn(origin, payload);
    }

    void deliverBroadcast(int payloadType, RingAddress origin, byte[] payload) {
        PayloadHandler handler = handlers.get(payloadType);
        if (handler == null) {
            counters.unknownPayload.inc();
        } else {
            handler.broadcastDelivered(origin, payload);
        }
    }
}
