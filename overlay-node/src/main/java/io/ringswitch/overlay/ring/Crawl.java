package io.ringswitch.overlay.ring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The ring's health figure: for every node, are its first and second neighbours on both sides the
 * nodes that really sit there? Works on views gathered from anywhere: the simulator's nodes, or
 * the status files of a running lab.
 */
public final class Crawl {

    /** One node's address and its nearest neighbours, nearest first. */
    public record NodeView(RingAddress address, List<RingAddress> left, List<RingAddress> right) {
    }

    /** How many nodes had exactly the right neighbours, and the first few that did not. */
    public record Result(int nodes, int consistent, double consistency, List<String> inconsistent) {
    }

    private Crawl() {
    }

    public static Result check(Collection<NodeView> views) {
        List<NodeView> ring = new ArrayList<>(views);
        ring.sort((a, b) -> a.address().compareTo(b.address()));
        int n = ring.size();
        int depth = Math.min(2, n - 1);
        int consistent = 0;
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            NodeView view = ring.get(i);
            boolean ok = view.left().size() >= depth && view.right().size() >= depth;
            for (int d = 1; ok && d <= depth; d++) {
                ok = view.right().get(d - 1).equals(ring.get((i + d) % n).address())
                        && view.left().get(d - 1).equals(ring.get(Math.floorMod(i - d, n)).address());
            }
            if (ok) {
                consistent++;
            } else if (bad.size() < 10) {
                bad.add(view.address().shortString());
            }
        }
        return new Result(n, consistent, n == 0 ? 1.0 : (double) consistent / n, bad);
    }
}
