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

    /** Where a node stands towards a key, as far as its near neighbours tell. */
    public enum Standing {
        /** Fewer than {@code k} nodes are nearer the key, and the node knows every node that is. */
        HOLDER,
        /** At least {@code k} nodes are nearer the key. */
        NOT_HOLDER,
        /**
         * Every near neighbour on the key's side is nearer the key, fewer than {@code k} of them, and
         * the node knows nothing beyond: it may be a holder, or far from the key.
         */
        UNSURE
    }

    private Replicas() {
    }

    /**
     * Where {@code me} stands towards {@code target}, from its {@code side} nearest neighbours on
     * the left and on the right (nearest first; fewer when the ring is that small). The nodes
     * nearer the target than {@code me} lie within an arc around the target that reaches {@code
     * me}; the node knows them all when its farthest neighbour on the target's side lies beyond
     * that arc.
     */
    public static Standing standing(RingAddress me, RingAddress target, List<RingAddress> left, List<RingAddress> right,
                                    int side, int k) {
        int nearer = 0;
        for (List<RingAddress> list : List.of(left, right)) {
            for (RingAddress a : list) {
                if (compare(target, a, me) < 0 && (list == left || !left.contains(a))) {
                    nearer++;
                }
            }
        }
        if (nearer >= k) {
            return Standing.NOT_HOLDER;
        }
        boolean targetRight = me.clockwiseTo(target).compareTo(target.clockwiseTo(me)) <= 0;
        List<RingAddress> towards = targetRight ? right : left;
        if (towards.size() < side || compare(target, towards.get(towards.size() - 1), me) > 0) {
            return Standing.HOLDER;
        }
        return Standing.UNSURE;
    }

    /** The {@code k} of {@code candidates} nearest {@code target}, nearest first (ties: lower address first). */
    public static List<RingAddress> nearest(RingAddress target, Collection<RingAddress> candidates, int k) {
        List<RingAddress> sorted = new ArrayList<>(candidates);
        sorted.sort((a, b) -> compare(target, a, b));
        return List.copyOf(sorted.subList(0, Math.min(k, sorted.size())));
    }

    /** Negative when {@code a} is nearer {@code target} than {@code b}. */
    public static int compare(RingAddress target, RingAddress a, RingAddress b) {
        int c = RingAddress.compareDistances(a, b, target);
        return c != 0 ? c : a.compareTo(b);
    }
}
