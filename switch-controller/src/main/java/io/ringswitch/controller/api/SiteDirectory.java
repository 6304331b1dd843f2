package io.ringswitch.controller.api;

import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Where hosts live, as the overlay knows it (its DHT and the frames it carried): the controller
 * publishes the hosts bound to this site's ports and asks for everybody else's. It never sees the
 * ring. Futures and listener calls arrive on the overlay's thread; the controller moves them onto
 * its own.
 */
public interface SiteDirectory {

    /** A host bound to a port of this site (its lease, or a static address the controller accepted). */
    void publish(InetAddress ip, MacAddress mac);

    /** The host left this site (its port went, its lease ended): stop publishing it. */
    void withdraw(InetAddress ip, MacAddress mac);

    /** Where {@code ip} lives and its MAC; a future of null when nobody published it. */
    CompletableFuture<Located> lookup(InetAddress ip);

    /** Where {@code mac} lives; a future of null when nobody published it. */
    CompletableFuture<Located> lookup(MacAddress mac);

    /** Tells {@code listener} of remote MACs the overlay learns and forgets (one listener; a new one replaces it). */
    void listen(Listener listener);

    /** A host: its MAC, whether it sits on this site, and the site's name (for logs and status). */
    record Located(MacAddress mac, boolean local, String site) {
    }

    /** Remote MACs as the overlay learns them (frames arriving from sites, directory answers) and ages them. */
    interface Listener {
        void remoteMacLearned(MacAddress mac);

        void remoteMacForgotten(MacAddress mac);
    }

    /** A directory that knows nobody: for a controller that runs without an overlay (tests, a lone bridge). */
    static SiteDirectory none() {
        return new SiteDirectory() {
            @Override
            public void publish(InetAddress ip, MacAddress mac) {
            }

            @Override
            public void withdraw(InetAddress ip, MacAddress mac) {
            }

            @Override
            public CompletableFuture<Located> lookup(InetAddress ip) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletableFuture<Located> lookup(MacAddress mac) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void listen(Listener listener) {
            }
        };
    }
}
