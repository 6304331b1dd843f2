package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who holds a key: the {@code k} nodes nearest its place on the ring, by the shorter way round
 * (the same distance greedy routing uses, so the first of them is where a request for the key
 * ends). A node computes them from itself and its links.
 */
public final class Replicas {

    private Replicas() {
    }

    /** The {@code k} of {@code candidates} nearest {@code target}, nearest first (ties: lower address first). */
    public static List<RingAddress> nearest(RingAddress target, Collection<RingAddress> candidates, int k) {
        List<RingAddress> sorted = new ArrayList<>(candidates);
        sorted.sort((a, b) -> compare(target, a, b));
        return List.copyOf(sorted.subList(0, Math.min(k, sorted.size())));
    }

    /** Negative when {@code a} is nearer {@code target} than {@code b}. */
    public static int compare(RingAddress target, RingAddress a, RingAddress b) {
        int c = a.distanceTo(target).compareTo(b.distanceTo(target));
        return c != 0 ? c : a.compareTo(b);
    }
}
