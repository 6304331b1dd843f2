package io.ringswitch.controller.api;

import java.util.Objects;

/**
 * All the controller needs of the overlay: the site directory, the shared address pool (null when
 * the site runs no DHCP), multicast membership across sites, the full tunnel's gateways and the
 * group's host names.
 */
public record OverlayServices(SiteDirectory directory, AddressPool pool, GroupDirectory groups, GatewayDirectory gateways,
                              NameDirectory names) {
    public OverlayServices {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(groups, "groups");
        Objects.requireNonNull(gateways, "gateways");
        Objects.requireNonNull(names, "names");
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
