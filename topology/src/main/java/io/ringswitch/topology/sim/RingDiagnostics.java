package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.node.RingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What the simulator shows a person chasing a bug, with {@code --verbose}. */
final class RingDiagnostics {

    private RingDiagnostics() {
    }

    /** The first few nodes whose right neighbour is wrong, and why. */
    static void describeInconsistent(List<RingNode> live, Consumer<String> progress) {
        List<RingNode> ring = new ArrayList<>(live);
        ring.sort((a, b) -> a.address().compareTo(b.address()));
        int shown = 0;
        for (int i = 0; i < ring.size() && shown < 3; i++) {
            RingNode x = ring.get(i);
            RingNode truth = ring.get((i + 1) % ring.size());
            List<Contact> right = x.rightNeighbours(2);
            if (!right.isEmpty() && right.get(0).address().equals(truth.address())) {
                continue;
            }
            shown++;
            progress.accept("  " + x.address().shortString() + " (" + x.linkCount() + " links) has right "
                    + shortList(right) + ", but " + truth.address().shortString() + " (" + truth.linkCount()
                    + " links, left " + shortList(truth.leftNeighbours(2)) + ") is");
        }
    }

    static List<String> shortList(List<Contact> contacts) {
        return contacts.stream().map(c -> c.address().shortString()).toList();
    }
}
