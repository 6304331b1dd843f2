package io.ringswitch.overlay.ring.link;

/**
 * Turns a key (a path or a ring address) into the link it names: an open-addressing table with
 * linear probing whose keys and links lie side by side in one array, at most half full. Every
 * datagram a node receives is matched to its link by path, and every candidate neighbour by
 * address; a {@code HashMap} there reads the map, its bucket array, a node and, on a collision
 * (a third of lookups at its load of 0.6 to 0.75), a second node, each a cache miss when a
 * simulator holds 100,000 nodes. Here a hit reads the one array, and a key that is the very
 * instance stored (the simulator hands out one path per node, and a link's address is the one
 * its messages name) is matched without reading the stored key. Same answers as a {@code HashMap}
 * with the same {@code equals} and {@code hashCode}; no iteration (the table's {@code HashMap} by
 * address keeps the order that walks see).
 */
final class LinkSlots<K> {
    private static final int MIN_SLOTS = 16;

    /** Key of slot i at 2i, its link at 2i + 1; a null key is an empty slot. */
    private Object[] slots = new Object[2 * MIN_SLOTS];
    private int size;

    /** The link stored under a key equal to {@code key}, or null. */
    Link get(Object key) {
        if (key == null) {
            return null;
        }
        Object[] s = slots;
        int mask = (s.length >> 1) - 1;
        for (int i = slotOf(key, mask); ; i = (i + 1) & mask) {
            Object k = s[2 * i];
            if (k == null) {
                return null;
            }
            if (k == key || key.equals(k)) {
                return (Link) s[2 * i + 1];
            }
        }
    }

    /** Stores {@code link} under {@code key}, replacing what an equal key held. */
    void put(K key, Link link) {
        Object[] s = slots;
        int mask = (s.length >> 1) - 1;
        int i = slotOf(key, mask);
        for (; s[2 * i] != null; i = (i + 1) & mask) {
            if (s[2 * i] == key || key.equals(s[2 * i])) {
                s[2 * i + 1] = link;
                return;
            }
        }
        s[2 * i] = key;
        s[2 * i + 1] = link;
        if (2 * ++size > (s.length >> 1)) {
            resize(s.length);
        }
    }

    /** Removes the entry of a key equal to {@code key}, if there is one. */
    void remove(Object key) {
        if (key == null) {
            return;
        }
        Object[] s = slots;
        int mask = (s.length >> 1) - 1;
        int i = slotOf(key, mask);
        while (s[2 * i] != null && s[2 * i] != key && !key.equals(s[2 * i])) {
            i = (i + 1) & mask;
        }
        if (s[2 * i] == null) {
            return;
        }
        size--;
        // Backward-shift deletion (Knuth, TAOCP vol. 3, 6.4, algorithm R): an entry further along
        // the run moves into the hole unless its home slot lies cyclically in (hole, entry].
        int hole = i;
        for (int j = (i + 1) & mask; s[2 * j] != null; j = (j + 1) & mask) {
            int home = slotOf(s[2 * j], mask);
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                s[2 * hole] = s[2 * j];
                s[2 * hole + 1] = s[2 * j + 1];
                hole = j;
            }
        }
        s[2 * hole] = null;
        s[2 * hole + 1] = null;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private void resize(int length) {
        Object[] old = slots;
        slots = new Object[2 * length];
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != null) {
                put((K) old[i], (Link) old[i + 1]);
            }
        }
    }

    /** The home slot: the hash spread by a Fibonacci multiplier, since paths to nearby endpoints hash to nearby numbers. */
    private static int slotOf(Object key, int mask) {
        int h = key.hashCode() * 0x9E3779B9;
        return (h ^ h >>> 16) & mask;
    }
}
