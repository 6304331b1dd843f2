package io.ringswitch.controller.api;

import java.util.Objects;

/**
 * All the controller needs of the overlay: the site directory, the shared address pool (null when
 * the site runs no DHCP) and multicast membership across sites.
 */
public record OverlayServices(SiteDirectory directory, AddressPool pool, GroupDirectory groups) {
    public OverlayServices {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(groups, "groups");
    }

    /** No overlay: a bridge on its own. */
    public static OverlayServices none() {
        return new OverlayServices(SiteDirectory.none(), null, GroupDirectory.none());
    }
}
