package io.ringswitch.controller.api;

import java.util.Objects;

/**
 * All the controller needs of the overlay: the site directory, the shared address pool (null when
 * the site runs no DHCP), multicast membership across sites, the full tunnel's gateways and the
 * group's host names; and where the hosts it bound are kept across restarts.
 */
public record OverlayServices(SiteDirectory directory, AddressPool pool, GroupDirectory groups, GatewayDirectory gateways,
                              NameDirectory names, BoundHostStore boundHosts) {
    public OverlayServices {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(boundHosts, "boundHosts");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(gateways, "gateways");
        Objects.requireNonNull(names, "names");
    }

    /** Keeping no bindings across restarts. */
    public OverlayServices(SiteDirectory directory, AddressPool pool, GroupDirectory groups, GatewayDirectory gateways,
                           NameDirectory names) {
        this(directory, pool, groups, gateways, names, BoundHostStore.none());
    }

    /** The same services, keeping the bound hosts in {@code store}. */
    public OverlayServices withBoundHosts(BoundHostStore store) {
        return new OverlayServices(directory, pool, groups, gateways, names, store);
    }

    /** Without gateways or names (a split tunnel, no DNS). */
    public OverlayServices(SiteDirectory directory, AddressPool pool, GroupDirectory groups) {
        this(directory, pool, groups, GatewayDirectory.none(), NameDirectory.none("ringswitch"));
    }

    /** No overlay: a bridge on its own. */
    public static OverlayServices none() {
        return new OverlayServices(SiteDirectory.none(), null, GroupDirectory.none());
    }
}
