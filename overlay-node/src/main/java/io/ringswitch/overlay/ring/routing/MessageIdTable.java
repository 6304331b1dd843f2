package io.ringswitch.overlay.ring.routing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Values by a routed message's 64-bit id: an open-addressing table with linear probing, at most
 * half full, whose ids lie in one {@code long[]} and values in a parallel array. It holds the
 * router's messages awaiting a hop acknowledgement, put and taken for every reliable hop; a
 * {@code HashMap<Long, V>} there boxed every id and made a node per entry (two objects per hop,
 * and the lookups chased both: 4.6 % of a 50,000-node simulation). Ids are chosen by the source,
 * so a peer could pick ids that collide: each table mixes them with a secret seed of its own
 * (the murmur3 finaliser), which keeps their slots unpredictable. Not thread-safe (the node's
 * event loop owns it).
 */
final class MessageIdTable<V> {
    private static final int MIN_SLOTS = 8;

    private final long seed = ThreadLocalRandom.current().nextLong();
    private long[] ids = new long[MIN_SLOTS];
    /** The value of the id in the same slot; null marks an empty slot (an id may be any long). */
    private Object[] values = new Object[MIN_SLOTS];
    private int size;

    /** The value stored under {@code id}, or null. */
    @SuppressWarnings("unchecked")
    V get(long id) {
        int mask = ids.length - 1;
        for (int i = slotOf(id, mask); values[i] != null; i = (i + 1) & mask) {
            if (ids[i] == id) {
                return (V) values[i];
            }
        }
        return null;
    }

    boolean containsKey(long id) {
        return get(id) != null;
    }

    /** Stores {@code value} (not null) under {@code id}; returns what it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long id, V value) {
        if (value == null) {
            throw new IllegalArgumentException("a message id table holds no null");
        }
        int mask = ids.length - 1;
        int i = slotOf(id, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (ids[i] == id) {
                V previous = (V) values[i];
                values[i] = value;
                return previous;
            }
        }
        ids[i] = id;
        values[i] = value;
        if (2 * ++size > ids.length) {
            resize(2 * ids.length);
        }
        return null;
    }

    /** Removes the entry of {@code id}; returns its value, or null when there was none. */
    @SuppressWarnings("unchecked")
    V remove(long id) {
        int mask = ids.length - 1;
        int i = slotOf(id, mask);
        while (values[i] != null && ids[i] != id) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return null;
        }
        V removed = (V) values[i];
        // Backward-shift deletion: an entry further along the run moves into the hole unless its
        // own slot lies cyclically after the hole, so that no lookup stops early at an empty slot.
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slotOf(ids[j], mask);
            boolean homeAfterHole = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!homeAfterHole) {
                ids[i] = ids[j];
                values[i] = values[j];
                i = j;
            }
        }
        values[i] = null;
        size--;
        return removed;
    }

    int size() {
        return size;
    }

    /** Hands every value to {@code action}, in no particular order. */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<V> action) {
        for (Object value : values.clone()) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    void clear() {
        ids = new long[MIN_SLOTS];
        values = new Object[MIN_SLOTS];
        size = 0;
    }

    private void resize(int slots) {
        long[] oldIds = ids;
        Object[] oldValues = values;
        ids = new long[slots];
        values = new Object[slots];
        int mask = slots - 1;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldValues[i] != null) {
                int j = slotOf(oldIds[i], mask);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                ids[j] = oldIds[i];
                values[j] = oldValues[i];
            }
        }
    }

    private int slotOf(long id, int mask) {
        long h = id ^ seed;
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (int) (h ^ (h >>> 33)) & mask;
    }
}
