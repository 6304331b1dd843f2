package io.ringswitch.topology;

import java.io.IOException;
import java.time.Duration;

/**
 * The lab's namespaces and the links between them: the underlay namespace with Linux bridge
 * {@code br0}, a veth from each site namespace to it, and a veth from each host namespace to its
 * site; sites behind a NAT or firewall get a router namespace in between. Every namespace is entered
 * in the ledger before it is created, so teardown (which also collects the lab's namespaces by
 * prefix) removes routers as well.
 */
final class Underlay {
    private static final Duration CMD = Duration.ofSeconds(30);
    /** A site's uplink: its link to the underlay (or to its router). */
    static final String WAN = "wan0";

    private final LabSpec spec;
    private final LabLedger ledger;

    Underlay(LabSpec spec, LabLedger ledger) {
        this.spec = spec;
        this.ledger = ledger;
    }

    /** The underlay namespace and its bridge, which the sites' WAN links join. */
    void createWan() throws IOException {
        addNamespace(spec.wanNamespace());
        sh("ip", "-n", spec.wanNamespace(), "link", "add", "br0", "type", "bridge");
        sh("ip", "-n", spec.wanNamespace(), "link", "set", "br0", "up");
    }

    /**
     * A site namespace with link {@code wan0}: on the underlay at the site's underlay address when
     * the site is open, else behind a router namespace of its own ({@link EdgeRouter}), whose
     * {@code wan0} is on the underlay instead.
     */
    void createSite(int site) throws IOException {
        String ns = spec.siteNamespace(site);
        String mtu = Integer.toString(spec.underlayMtu());
        boolean routed = spec.edge(site).routed();
        String front = routed ? spec.routerNamespace(site) : ns;
        addNamespace(ns);
        if (routed) {
            addNamespace(front);
        }
        sh("ip", "link", "add", "wan0", "netns", front, "mtu", mtu, "type", "veth",
                "peer", "name", wanPort(site), "netns", spec.wanNamespace(), "mtu", mtu);
        sh("ip", "-n", spec.wanNamespace(), "link", "set", wanPort(site), "master", "br0", "up");
        if (routed) {
            EdgeRouter.build(spec, site);
            return;
        }
        sh("ip", "-n", ns, "addr", "add", spec.siteUnderlayIp(site) + "/24", "dev", "wan0");
        sh("ip", "-n", ns, "link", "set", "wan0", "up");
    }

    /**
     * The interface in the underlay namespace where a site's {@code wan0} ends (a port of
     * {@code br0}): every datagram the site sends to or receives from another site crosses it.
     */
    static String wanPort(int site) {
        return "s" + site;
    }

    /**
     * A host namespace with {@code eth0}, its MAC and address, linked to interface {@code hN} of
     * the site namespace (which the caller adds to the site's bridge); returns that interface.
     *
     * @param txOffloadOff whether to turn transmit checksum offload off on the host
     */
    String createHost(int site, int host, boolean txOffloadOff) throws IOException {
        String hostNs = spec.hostNamespace(site, host);
        String sitePort = "h" + host;
        String mtu = Integer.toString(spec.overlayMtu());
        addNamespace(hostNs);
        sh("ip", "link", "add", sitePort, "netns", spec.siteNamespace(site), "mtu", mtu, "type", "veth",
                "peer", "name", "eth0", "netns", hostNs, "mtu", mtu);
        sh("ip", "-n", hostNs, "link", "set", "eth0", "address", spec.hostMac(site, host));
        sh("ip", "-n", hostNs, "addr", "add", spec.hostIp(site, host) + "/16", "dev", "eth0");
        sh("ip", "-n", hostNs, "link", "set", "eth0", "up");
        if (txOffloadOff) {
            Shell.run(CMD, Shell.inNetns(hostNs, "ethtool", "-K", "eth0", "tx", "off")).orThrow();
        }
        sh("ip", "-n", spec.siteNamespace(site), "link", "set", sitePort, "up");
        return sitePort;
    }

    private void addNamespace(String ns) throws IOException {
        ledger.namespace(ns);
        sh("ip", "netns", "add", ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
    }

    private static void sh(String... command) throws IOException {
        Shell.run(CMD, command).orThrow();
    }
}
