package io.ringswitch.controller.api;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Multicast membership across sites (the overlay's DHT): the controller publishes the groups this
 * site's hosts joined and asks whether other sites have members, to decide whether a group's
 * frames go into the overlay port. Futures complete on the overlay's thread.
 */
public interface GroupDirectory {

    /** This site has a member of {@code group} now: publish it until {@link #leave}. */
    void join(InetAddress group);

    /** This site's last member of {@code group} left: stop publishing it. */
    void leave(InetAddress group);

    /** Whether a site other than this one has members of {@code group} (true when it cannot tell). */
    CompletableFuture<Boolean> othersHaveMembers(InetAddress group);

    /** Nobody elsewhere: for a controller without an overlay. */
    static GroupDirectory none() {
        return new GroupDirectory() {
            @Override
            public void join(InetAddress group) {
            }

            @Override
            public void leave(InetAddress group) {
            }

            @Override
            public CompletableFuture<Boolean> othersHaveMembers(InetAddress group) {
                return CompletableFuture.completedFuture(false);
            }
        };
    }
}
