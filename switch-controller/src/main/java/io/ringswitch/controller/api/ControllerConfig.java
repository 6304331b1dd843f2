package io.ringswitch.controller.api;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the controller listens and keeps its channel alive, and what its managers do.
 *
 * @param listen          where the switch connects: a Unix domain socket (Netty's {@code DomainSocketAddress},
 *                        OVS {@code set-controller unix:PATH}) or a loopback TCP address ({@code tcp:127.0.0.1:PORT})
 * @param overlayPortName the name of the overlay (TAP) port on the bridge
 * @param echoInterval    how long the channel may be silent before the controller sends an ECHO
 * @param switching       what the switching managers do (DHCP, multicast, storm control, trusted ports)
 */
public record ControllerConfig(SocketAddress listen, String overlayPortName, Duration echoInterval,
                               SwitchSettings switching) {

    public ControllerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(overlayPortName, "overlayPortName");
        Objects.requireNonNull(switching, "switching");
        Objects.requireNonNull(echoInterval, "echoInterval");
        if (echoInterval.toMillis() < 100) {
            throw new IllegalArgumentException("echoInterval must be at least 100 ms, got " + echoInterval);
        }
    }

    /** The defaults: an ECHO after 5 s of silence, {@link SwitchSettings#defaults()}. */
    public static ControllerConfig of(SocketAddress listen, String overlayPortName) {
        return of(listen, overlayPortName, SwitchSettings.defaults());
    }

    /** The default timers with these switching settings. */
    public static ControllerConfig of(SocketAddress listen, String overlayPortName, SwitchSettings switching) {
        return new ControllerConfig(listen, overlayPortName, Duration.ofSeconds(5), switching);
    }
}
