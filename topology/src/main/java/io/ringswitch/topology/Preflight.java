package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Checks, before anything is built, that the machine can run a lab, and says what to do if not. */
public final class Preflight {
    private Preflight() {
    }

    /** The RingSwitch checkout: {@code -Dringswitch.home}, or the nearest directory up that holds ovs-scripts/. */
    public static Path home() {
        String property = System.getProperty("ringswitch.home");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("ovs-scripts/ovs-instance.sh"))) {
                return p;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    static void check(Path home, LabSpec spec) throws IOException {
        List<String> problems = new ArrayList<>();
        boolean routers = spec.edges().values().stream().anyMatch(SiteEdge::routed);
        if (routers && !onPath("nft")) {
            problems.add("nft not found (the lab's NAT and firewall routers need nftables): run ./ringswitch demo or "
                    + "./ringswitch test, which install what is missing");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            problems.add("labs need root (network namespaces, OVS, TAP): run as root");
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            problems.add("/dev/net/tun is missing: load the tun module (modprobe tun)");
        }
        for (String tool : List.of("ip", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "setsid", "ethtool", "iperf3", "ping", "conntrack")) {
            if (!onPath(tool)) {
                problems.add(tool + " not found: run ./ringswitch demo or ./ringswitch test, which install what is missing");
            }
        }
        if (!Files.isExecutable(home.resolve("ovs-scripts/ovs-instance.sh"))) {
            problems.add(home.resolve("ovs-scripts/ovs-instance.sh") + " not found: set -Dringswitch.home to the checkout");
        }
        if (!problems.isEmpty()) {
            throw new IOException("cannot build a lab here:\n  - " + String.join("\n  - ", problems));
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
