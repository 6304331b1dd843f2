package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Records that came for a session the handshake thread is still making (the initiator sends right
 * after its last message), by the session's local index: held until the session is made and then
 * replayed, or dropped after {@link #EARLY_NANOS}. Bounded per session and in all, so that records
 * for indexes that never become sessions cannot pile up. Confined to the event loop.
 */
final class EarlyRecords {
    static final int EARLY_PER_SESSION = 32;
    static final long EARLY_NANOS = 2_000_000_000L;

    private record Early(long since, List<ByteBuf> records) {
    }

    private final Map<Integer, Early> early = new HashMap<>();
    private final LongSupplier nanos;
    private final SecurityCounters counters;

    EarlyRecords(LongSupplier nanos, SecurityCounters counters) {
        this.nanos = nanos;
        this.counters = counters;
    }

    /** Holds a retained slice of {@code record} for {@code index}; false when the bounds are reached. */
    boolean hold(int index, ByteBuf record) {
        Early held = early.computeIfAbsent(index, k -> new Early(nanos.getAsLong(), new ArrayList<>()));
        if (held.records().size() >= EARLY_PER_SESSION || early.size() > Handshaker.QUEUE) {
            return false;
        }
        held.records().add(record.retainedSlice());
        return true;
    }

    /** Hands what was held for {@code index} to {@code receive}, in order, and releases it. */
    void replay(int index, Consumer<ByteBuf> receive) {
        Early held = early.remove(index);
        if (held == null) {
            return;
        }
        for (ByteBuf record : held.records()) {
            try {
                receive.accept(record);
            } finally {
                record.release();
            }
        }
    }

    /** Drops what was held for {@code index} (its handshake was refused). */
    void discard(int index) {
        Early held = early.remove(index);
        if (held != null) {
            held.records().forEach(ByteBuf::release);
        }
    }

    /** Drops what waited {@link #EARLY_NANOS} or longer: no session came for it. */
    void expire(long now) {
        for (Iterator<Early> it = early.values().iterator(); it.hasNext(); ) {
            Early held = it.next();
            if (now - held.since() >= EARLY_NANOS) {
                held.records().forEach(ByteBuf::release);
                counters.count("record-unknown-receiver", null);
                it.remove();
            }
        }
    }

    void close() {
        early.values().forEach(held -> held.records().forEach(ByteBuf::release));
        early.clear();
    }
}
