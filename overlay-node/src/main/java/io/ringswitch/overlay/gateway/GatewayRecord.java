package io.ringswitch.overlay.gateway;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.Objects;

/**
 * What a gateway publishes in the DHT under {@code gw:GROUP}.
 *
 * @param site        the gateway's site name (status and logs)
 * @param address     its ring address: where probes go
 * @param mac         the MAC of its gateway port (48 bits)
 * @param ipv4        its gateway port's VPN address (network order)
 * @param ipv6        whether it carries IPv6 to the Internet
 * @param load        bytes a second its gateway port passed when the value was made
 * @param publishedAt when the value was made, wall-clock ms of the gateway: the newest value of a
 *                    gateway is the one that counts
 * @param withdrawn   the gateway stopped: it is no gateway from {@code publishedAt} on
 */
public record GatewayRecord(String site, RingAddress address, long mac, int ipv4, boolean ipv6, long load, long publishedAt,
                            boolean withdrawn) {
    public GatewayRecord {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(address, "address");
    }

    /** The same gateway, withdrawn at {@code at}. */
    public GatewayRecord withdrawnAt(long at) {
        return new GatewayRecord(site, address, mac, ipv4, ipv6, load, at, true);
    }
}
