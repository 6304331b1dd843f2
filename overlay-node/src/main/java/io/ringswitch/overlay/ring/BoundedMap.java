package io.ringswitch.overlay.ring;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that holds at most {@code max} entries and lets the eldest go to make room: the tables
 * a node keeps of what strangers tell it (tokens, endpoints, probe times) stay bounded, whatever
 * they send. In insertion order, or in access order (the least recently used goes first).
 */
public final class BoundedMap<K, V> extends LinkedHashMap<K, V> {
    private final int max;

    /** At most {@code max} entries, the oldest inserted going first. */
    public BoundedMap(int max) {
        this(max, false);
    }

    /** At most {@code max} entries; with {@code accessOrder}, the least recently used going first. */
    public BoundedMap(int max, boolean accessOrder) {
        super(16, 0.75f, accessOrder);
        this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
    }
}
