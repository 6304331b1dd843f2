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
 * replayed, or dropped after {@link #EARLY_NANOS}. Bounded per session and in all, by count and by
 * bytes, so that records for indexes that never become sessions cannot pile up. The bounds match
 * what an initiator holds for a peer while its handshake runs ({@link WaitingDatagrams}): a stream
 * that started before the session existed arrives whole, however long this side's handshake thread
 * takes (at 32 records, a loaded responder dropped every record after the 32nd until its session was
 * made). Each held record is a copy of its bytes, so a held record never pins a whole receive
 * batch's buffer. Confined to the event loop.
 */
final class EarlyRecords {
    static final int EARLY_PER_SESSION = WaitingDatagrams.PER_PEER;
    static final int EARLY_SESSION_BYTES = WaitingDatagrams.PER_PEER_BYTES;
    static final int EARLY_TOTAL_BYTES = WaitingDatagrams.TOTAL_BYTES;
    static final long EARLY_NANOS = 2_000_000_000L;

    private static final class Early {
        final long since;
        final List<ByteBuf> records = new ArrayList<>();
        long bytes;

        Early(long since) {
            this.since = since;
        }

        long since() {
            return since;
        }

        List<ByteBuf> records() {
            return records;
        }
    }

    private final Map<Integer, Early> early = new HashMap<>();
    private final LongSupplier nanos;
    private final SecurityCounters counters;
    private long totalBytes;

    EarlyRecords(LongSupplier nanos, SecurityCounters counters) {
        this.nanos = nanos;
        this.counters = counters;
    }

    /** Holds a copy of {@code record} for {@code index}; false when the bounds are reached. */
    boolean hold(int index, ByteBuf record) {
        int size = record.readableBytes();
        Early held = early.computeIfAbsent(index, k -> new Early(nanos.getAsLong()));
        if (held.records.size() >= EARLY_PER_SESSION || held.bytes + size > EARLY_SESSION_BYTES
                || totalBytes + size > EARLY_TOTAL_BYTES || early.size() > Handshaker.QUEUE) {
            return false;
        }
        held.records.add(record.alloc().directBuffer(size).writeBytes(record, record.readerIndex(), size));
        held.bytes += size;
        totalBytes += size;
        return true;
    }

    /** Hands what was held for {@code index} to {@code receive}, in order, and releases it. */
    void replay(int index, Consumer<ByteBuf> receive) {
        Early held = early.remove(index);
        if (held == null) {
            return;
        }
        totalBytes -= held.bytes;
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
            totalBytes -= held.bytes;
            held.records().forEach(ByteBuf::release);
        }
    }

    /** Drops what waited {@link #EARLY_NANOS} or longer: no session came for it. */
    void expire(long now) {
        for (Iterator<Early> it = early.values().iterator(); it.hasNext(); ) {
            Early held = it.next();
            if (now - held.since() >= EARLY_NANOS) {
                totalBytes -= held.bytes;
                held.records().forEach(ByteBuf::release);
                counters.count("record-unknown-receiver", null);
                it.remove();
            }
        }
    }

    void close() {
        early.values().forEach(held -> held.records().forEach(ByteBuf::release));
        early.clear();
        totalBytes = 0;
    }
}
