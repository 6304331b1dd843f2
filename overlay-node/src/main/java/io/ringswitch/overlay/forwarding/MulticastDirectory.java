package io.ringswitch.overlay.forwarding;

import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Which sites have members of a multicast group: this site's groups are published, others' looked up. */
public interface MulticastDirectory {

    /** This site has a member of {@code group} now: publish it until {@link #leave}. */
    void join(InetAddress group);

    /** This site's last member of {@code group} left: stop publishing it. */
    void leave(InetAddress group);

    /** The sites with members of {@code group}; completes on the node's event loop. */
    CompletableFuture<Members> lookup(InetAddress group);

    /**
     * The answer of a lookup.
     *
     * @param sites the sites with members (this one may be among them)
     * @param all   every site must get the group's frames: too many sites to list, or no answer
     */
    record Members(List<RingAddress> sites, boolean all) {
        public Members {
            sites = List.copyOf(sites);
        }

        static final Members EVERY_SITE = new Members(List.of(), true);
    }
}
