package io.ringswitch.controller.api;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.function.Consumer;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The full tunnel's gateways as the overlay knows them (gateway records in its DHT, probed over the
 * ring): the overlay chooses one and keeps it while it answers; the controller only steers frames
 * to the chosen one's MAC, or drops them while there is none (fail closed). Listener calls arrive
 * on the overlay's thread; the controller moves them onto its own.
 */
public interface GatewayDirectory {

    /**
     * Tells {@code listener} of the chosen gateway now and each time the choice changes; null means
     * no gateway answers (Internet-bound frames must be dropped). One listener; a new one replaces it.
     */
    void listen(Consumer<Gateway> listener);

    /**
     * A gateway site.
     *
     * @param site     the gateway's site name (logs and status)
     * @param mac      the MAC of its gateway port: frames re-addressed to it reach the gateway's NAT
     * @param address  its gateway port's VPN address, which also forwards DNS to the gateway's resolver
     * @param ipv6     whether it carries IPv6 to the Internet
     */
    record Gateway(String site, MacAddress mac, Inet4Address address, boolean ipv6) {
        public Gateway {
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(mac, "mac");
            Objects.requireNonNull(address, "address");
        }
    }

    /** No gateways ever: a full tunnel with this stays closed. */
    static GatewayDirectory none() {
        return listener -> listener.accept(null);
    }
}
