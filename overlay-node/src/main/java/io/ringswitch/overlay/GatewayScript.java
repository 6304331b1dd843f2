package io.ringswitch.overlay;

import io.ringswitch.overlay.api.GatewayConfig;
import io.ringswitch.overlay.api.Ipv4;
import io.ringswitch.overlay.api.Ipv6Prefix;
import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The Linux side of this site as a gateway, through {@code ovs-scripts/gateway.sh}: the gateway
 * port on the bridge with its MAC and VPN address, IPv4 forwarding, and the {@code ringswitch_gw}
 * nftables table (masquerade of the VPN out of the uplink, DNS to the gateway's address sent on to
 * the resolver, forwarding only VPN -> uplink and what answers it); when the gateway carries IPv6,
 * its IPv6 address on the port, IPv6 forwarding and the same for the VPN's IPv6 prefix (NAT66,
 * table {@code ringswitch_gw6}). Both directions are idempotent,
 * so a node that crashed sets it up again over what it left.
 */
final class GatewayScript {
    private final Path script;
    private final NodeConfig.Bridge bridge;
    private final GatewayConfig gateway;
    private final MacAddress mac;
    private final int[] vpn;

    private final Ipv6Prefix vpn6;

    /** {@code vpn6}: the VPN's IPv6 prefix, used (and needed) only when the gateway carries IPv6. */
    GatewayScript(Path script, NodeConfig.Bridge bridge, GatewayConfig gateway, MacAddress mac, int[] vpn, Ipv6Prefix vpn6) {
        this.script = script;
        this.vpn6 = vpn6;
        this.bridge = bridge;
        this.gateway = gateway;
        this.mac = mac;
        this.vpn = vpn;
    }

    /**
     * Where gateway.sh is: {@code gateway.script}, else {@code ovs-scripts/gateway.sh} under
     * {@code -Dringswitch.home}, else in the nearest directory up from the working directory that has it.
     */
    static Path locate(GatewayConfig gateway) throws IOException {
        if (gateway.script() != null) {
            return Path.of(gateway.script());
        }
        String home = System.getProperty("ringswitch.home");
        if (home != null) {
            return Path.of(home, "ovs-scripts", "gateway.sh");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("ovs-scripts/gateway.sh");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IOException("ovs-scripts/gateway.sh not found: set gateway.script in the node's config, or "
                + "-Dringswitch.home to the RingSwitch checkout");
    }

    /** Sets the gateway's Linux side up (again); the exception says what failed and what to check. */
    void up() throws IOException {
        SystemCommand.run(command("up"), 30, "is bash installed, and " + script + " executable?");
    }

    /** Takes it down; what is already gone is skipped. */
    void down() throws IOException {
        SystemCommand.run(command("down"), 30, "is bash installed, and " + script + " executable?");
    }

    List<String> command(String verb) {
        List<String> c = new ArrayList<>(List.of("bash", script.toString()));
        if (!bridge.ovsdb().isEmpty()) {
            c.addAll(List.of("--db", bridge.ovsdb()));
        }
        c.addAll(List.of(verb, bridge.name(), gateway.port(), mac.toString(), gateway.address() + "/" + vpn[1], gateway.uplink(),
                gateway.resolver(), Ipv4.format(vpn[0]) + "/" + vpn[1]));
        if (gateway.ipv6()) {
            c.addAll(List.of(gateway.address6() + "/" + vpn6.bits(), vpn6.toString()));
        }
        return c;
    }
}
