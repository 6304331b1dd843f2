package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * What each publisher has stored at this holder, in records and in bytes, against a quota per
 * publisher: a member that publishes thousands of keys fills its own share of every holder and no
 * more, so the holder keeps room for everyone else's records. Only signed records have a publisher
 * a holder can trust ({@link DhtRecords}); the map has an entry per publisher with a record here,
 * so it is bounded by the values the store holds.
 */
final class PublisherQuota {
    private final int maxRecords;
    private final long maxBytes;
    private final Map<RingAddress, long[]> usage = new HashMap<>();

    PublisherQuota(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** Whether {@code publisher} may add {@code records} more records (0 for a replacement) that grow its bytes by {@code bytes}. */
    boolean admits(RingAddress publisher, int records, long bytes) {
        long[] used = usage.get(publisher);
        long count = used == null ? 0 : used[0];
        long size = used == null ? 0 : used[1];
        return count + records <= maxRecords && size + bytes <= maxBytes;
    }

    /** Counts a record of {@code bytes} stored ({@code records} 1) or removed ({@code records} -1, {@code bytes} negative). */
    void count(RingAddress publisher, int records, long bytes) {
        long[] used = usage.computeIfAbsent(publisher, p -> new long[2]);
        used[0] += records;
        used[1] += bytes;
        if (used[0] <= 0) {
            usage.remove(publisher);
        }
    }

    /** Records {@code publisher} holds here. */
    long records(RingAddress publisher) {
        long[] used = usage.get(publisher);
        return used == null ? 0 : used[0];
    }

    void clear() {
        usage.clear();
    }
}
