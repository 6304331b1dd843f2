package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.Claim;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;

/**
 * Joining: a join link to one of the bootstrap nodes, tried at random until one answers. A node
 * that lost every link stays a ring of one that others may join, and keeps looking for the rest.
 * A node with no bootstrap (other than itself) starts a new ring.
 */
final class Joiner {
    /** Endpoints kept to join through at most: those added later (issue 19) push the oldest out. */
    static final int MAX_BOOTSTRAPS = 64;
    private final LinkTable table;
    private final LinkEstablisher establisher;
    private final Random random;
    private List<InetSocketAddress> bootstraps = List.of();
    private long nextAttempt;

    Joiner(LinkTable table, LinkEstablisher establisher, Random random) {
        this.table = table;
        this.establisher = establisher;
        this.random = random;
    }

    /**
     * Joins through {@code endpoints}; a node that restarts with its old address first asks its
     * {@code formerNear} neighbours for their links back (they may still hold them), and joins
     * through a bootstrap node only if none answers within the retry period.
     */
    void start(List<InetSocketAddress> endpoints, List<Contact> formerNear) {
        bootstraps = endpoints.stream().filter(e -> !e.equals(table.self().endpoint())).toList();
        List<Contact> former = formerNear.stream()
                .filter(c -> c.address() != null && !c.address().equals(table.me()) && c.endpoint() != null).toList();
        for (Contact c : former) {
            establisher.request(c, Claim.NEAR, random.nextLong(), false);
        }
        if (!former.isEmpty() && !bootstraps.isEmpty()) {
            nextAttempt = table.now() + 2000;
        } else if (bootstraps.isEmpty()) {
            table.markJoined();
        } else {
            attempt();
        }
    }

    /**
     * Adds endpoints to join through from now on (a private overlay learns them from a public
     * ring's DHT, issue 19): a node that has no link at all tries them at its next check.
     */
    void addBootstraps(List<InetSocketAddress> endpoints) {
        LinkedHashSet<InetSocketAddress> all = new LinkedHashSet<>(bootstraps);
        for (InetSocketAddress e : endpoints) {
            if (!e.equals(table.self().endpoint())) {
                // Told again: it moves to the newest end, so that the oldest go first past the limit.
                all.remove(e);
                all.add(e);
            }
        }
        List<InetSocketAddress> list = List.copyOf(all);
        bootstraps = list.subList(Math.max(0, list.size() - MAX_BOOTSTRAPS), list.size());
    }

    /** The endpoints this node joins through, those of its config and those added since. */
    List<InetSocketAddress> bootstraps() {
        return bootstraps;
    }

    /** Contacts a bootstrap node again when this node has no link at all. */
    void check() {
        if (table.isEmpty() && !bootstraps.isEmpty() && table.now() >= nextAttempt) {
            attempt();
        }
    }

    private void attempt() {
        nextAttempt = table.now() + 2000;
        InetSocketAddress endpoint = bootstraps.get(random.nextInt(bootstraps.size()));
        establisher.request(new Contact(null, endpoint), Claim.JOIN, random.nextLong(), false);
    }
}
