package io.ringswitch.controller.api;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Host names of the group (the overlay's DHT): the controller publishes the names of hosts bound
 * to this site (DHCP host names, option 12) and resolves {@code NAME.DOMAIN} queries that hosts
 * send to the site's DNS address. Names are single DNS labels, lower case. Futures complete on the
 * overlay's thread.
 */
public interface NameDirectory {

    /** The domain the group's names live under (e.g. the group's name); never empty. */
    String domain();

    /** {@code name} is a host of this site at {@code ip}: publish it until {@link #withdraw}. */
    void publish(String name, InetAddress ip);

    /** Stop publishing {@code name} at {@code ip}. */
    void withdraw(String name, InetAddress ip);

    /** The addresses published for {@code name} (empty when nobody published it). */
    CompletableFuture<List<InetAddress>> lookup(String name);

    /** A group without names: every lookup is empty. */
    static NameDirectory none(String domain) {
        return new NameDirectory() {
            @Override
            public String domain() {
                return domain;
            }

            @Override
            public void publish(String name, InetAddress ip) {
            }

            @Override
            public void withdraw(String name, InetAddress ip) {
            }

            @Override
            public CompletableFuture<List<InetAddress>> lookup(String name) {
                return CompletableFuture.completedFuture(List.of());
            }
        };
    }
}
