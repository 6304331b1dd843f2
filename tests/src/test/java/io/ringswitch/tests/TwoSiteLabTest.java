package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.DhcpClients;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Ping;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import io.ringswitch.topology.SiteHealth;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two sites, two hosts each, real OVS and real TAP devices in network namespaces: what the demo
 * does, plus restarts of the switch and of the node, and garbage on the node's UDP port.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoSiteLabTest {
    private static final Duration AWAIT = Duration.ofSeconds(45);
    private static final LabSpec SPEC = LabSpec.of("e2e", 2, 2);
    private static Lab lab;
    private static String dhclientLease;

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), TwoSiteLabTest::log);
        lab = Lab.up(SPEC, Preflight.home(), TwoSiteLabTest::log);
    }

    @AfterAll
    static void down() throws Exception {
        Lab.down(SPEC.name(), TwoSiteLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertTrue(!left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
        assertTrue(!Path.of("/run/ringswitch", SPEC.name()).toFile().exists(), "run directory left behind");
    }

    @Test
    @Order(1)
    void everyHostReachesEveryOtherWithoutLoss() throws Exception {
        for (int a = 1; a <= 2; a++) {
            for (int ha = 1; ha <= 2; ha++) {
                for (int b = 1; b <= 2; b++) {
                    for (int hb = 1; hb <= 2; hb++) {
                        if (a == b && ha == hb) {
                            continue;
                        }
                        // A host's first frames wait for the controller to bind its address (a claim in
                        // the DHT), which on a loaded machine may outlast the lab's start: once a ping
                        // crosses, five in a row must.
                        awaitPing(a, ha, b, hb);
                    }
                }
            }
        }
    }

    @Test
    @Order(2)
    void arpResolvesRemoteHostsToTheirOwnMacs() throws Exception {
        lab.ping(1, 1, 2, 2, 1, 0.2);
        assertEquals(Optional.of(SPEC.hostMac(2, 2)), lab.neighbourMac(1, 1, 2, 2));
        assertEquals(Optional.of(SPEC.hostMac(1, 1)), lab.neighbourMac(2, 2, 1, 1));
    }

    @Test
    @Order(2)
    void ipv6NeighbourDiscoveryWorksAcrossSitesForUniqueAndLinkLocalAddresses() throws Exception {
        lab.exec(SPEC.hostNamespace(1, 1), Duration.ofSeconds(10), "ip", "addr", "add", "fd00:77::1/64", "dev", "eth0").orThrow();
        lab.exec(SPEC.hostNamespace(2, 1), Duration.ofSeconds(10), "ip", "addr", "add", "fd00:77::2/64", "dev", "eth0").orThrow();
        String linkLocal = lab.exec(SPEC.hostNamespace(2, 1), Duration.ofSeconds(10), "ip", "-6", "-o", "addr", "show", "dev",
                "eth0", "scope", "link").orThrow().output().replaceAll("(?s).*inet6 ([0-9a-f:]+)/.*", "$1").trim();
        // Duplicate address detection takes a moment before the addresses answer.
        awaitTrue(() -> lab.exec(SPEC.hostNamespace(1, 1), Duration.ofSeconds(10), "ping", "-6", "-c", "1", "-W", "1",
                "fd00:77::2").ok(), "ping6 fd00:77::1 -> fd00:77::2 (unique local, neighbour discovery over the ring)");
        assertTrue(lab.exec(SPEC.hostNamespace(1, 1), Duration.ofSeconds(10), "ping", "-6", "-c", "3", "-i", "0.2", "-W", "1",
                linkLocal + "%eth0").ok(), "ping6 to the link-local address " + linkLocal);
    }

    @Test
    @Order(3)
    void localTrafficStaysOffTheOverlay() throws Exception {
        lab.ping(1, 1, 1, 2, 2, 0.1);
        Thread.sleep(1500); // the status file is rewritten every second
        long before = status(1).frames().fromPort();
        Ping ping = lab.ping(1, 1, 1, 2, 20, 0.05);
        assertTrue(ping.lossless(), ping.toString());
        Thread.sleep(1500);
        long crossed = status(1).frames().fromPort() - before;
        // 20 echo requests and 20 replies would cross if local unicast leaked; the hosts' own IPv6
        // multicast (router solicitations, MLD) may cross, and should.
        assertTrue(crossed < 10, crossed + " frames crossed the overlay during 20 pings between hosts of one site");
    }

    @Test
    @Order(4)
    void tcpCrossesTheOverlayInSuperFrames() throws Exception {
        double mbps = lab.iperf(1, 1, 2, 1, 3);
        log("iperf3 over RingSwitch: " + mbps + " Mbit/s");
        assertTrue(mbps > 1, "TCP throughput " + mbps + " Mbit/s");
        awaitTrue(() -> lab.nodeStatus(2).map(st -> st.dataPath().segmentsJoined() > 0).orElse(false), "status written");
        NodeStatus sender = lab.nodeStatus(1).orElseThrow();
        NodeStatus receiver = lab.nodeStatus(2).orElseThrow();
        assertTrue(sender.dataPath().tapOffloads() && receiver.dataPath().tapOffloads(), "offloads on at both sites");
        assertTrue(sender.frames().superFrames() > 0, "the sending site's overlay port handed over TCP super-frames");
        assertTrue(receiver.dataPath().segmentsJoined() > receiver.dataPath().tapWrites() / 2,
                "the receiving site joined segments before writing them: " + receiver.dataPath());
        assertEquals(0, sender.frames().unsegmentable() + receiver.dataPath().tapWriteDrops());
    }

    @Test
    @Order(5)
    void tcpBetweenHostsLeftAtMtu1500FindsTheOverlaysMtuAndCompletes() throws Exception {
        long answered = tooBig();
        try {
            setHostMtu(1500);
            double mbps = lab.iperf(1, 2, 2, 2, 3);
            log("TCP between hosts at MTU 1500: " + mbps + " Mbit/s");
            assertTrue(mbps > 10, "TCP completes over path MTU discovery: " + mbps + " Mbit/s");
            assertTrue(tooBig() > answered, "packets too big for the overlay were answered with ICMP or cut smaller");
            log("too big: " + status(1).frames() + " / " + status(2).frames());
            assertTrue(lab.ping(1, 2, 2, 2, 3, 0.1).lossless(), "small packets still cross");
        } finally {
            setHostMtu(SPEC.overlayMtu());
        }
    }

    /**
     * A host at MTU 1500 without TSO or GSO sends full-size TCP segments, each a plain frame: OVS
     * cannot tell it from a super-frame, so it reaches the overlay port, and the node (which sees
     * that the frame has no GSO flag) answers it with ICMP "fragmentation needed" carrying the
     * overlay MTU. The sender's kernel learns that MTU for the route, and TCP completes.
     */
    @Test
    @Order(5)
    void plainTcpSegmentsTooBigForTheOverlayAreAnsweredByTheNodeWithTheOverlayMtu() throws Exception {
        String from = SPEC.hostNamespace(1, 2);
        String to = SPEC.hostIp(2, 2);
        long answered = status(1).frames().tcpTooBigAnswered();
        try {
            setHostMtu(1500);
            lab.exec(from, Duration.ofSeconds(10), "ethtool", "-K", "eth0", "tso", "off", "gso", "off").orThrow();
            double mbps = lab.iperf(1, 2, 2, 2, 3);
            log("TCP without TSO/GSO from a host at MTU 1500: " + mbps + " Mbit/s");
            assertTrue(mbps > 1, "TCP completes over path MTU discovery: " + mbps + " Mbit/s");
            String route = lab.exec(from, Duration.ofSeconds(10), "ip", "route", "get", to).orThrow().output();
            assertTrue(route.contains("mtu " + SPEC.overlayMtu()), "the route learned the overlay's MTU: " + route);
            awaitTrue(() -> status(1).frames().tcpTooBigAnswered() > answered, "the node counted its answers");
        } finally {
            lab.exec(from, Duration.ofSeconds(10), "ethtool", "-K", "eth0", "tso", "on", "gso", "on");
            setHostMtu(SPEC.overlayMtu());
        }
    }

    /**
     * A host at MTU 1500 sends a 1400-byte UDP datagram with DF, and an IPv6 ping of 1400 bytes, to a
     * host at the other site: the controller answers each from the destination with ICMP "fragmentation
     * needed" / ICMPv6 "packet too big" carrying the overlay MTU, and the sender's kernel learns it.
     */
    @Test
    @Order(5)
    void udpAndIpv6TooBigForTheOverlayAreAnsweredByTheControllerWithTheOverlayMtu() throws Exception {
        String from = SPEC.hostNamespace(1, 2);
        String to = SPEC.hostIp(2, 2);
        String mtu = "mtu " + SPEC.overlayMtu();
        long refusedBefore = status(1).frames().oversizedRefused();
        try {
            setHostMtu(1500);
            lab.exec(from, Duration.ofSeconds(10), "ip", "addr", "add", "fd00:78::1/64", "dev", "eth0").orThrow();
            lab.exec(SPEC.hostNamespace(2, 2), Duration.ofSeconds(10), "ip", "addr", "add", "fd00:78::2/64", "dev", "eth0")
                    .orThrow();
            // IP_MTU_DISCOVER (10) = IP_PMTUDISC_DO (2): DF set, as path MTU discovery sends.
            String udp = "import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                    + "s.setsockopt(socket.IPPROTO_IP,10,2)\ns.sendto(b'x'*1372,('" + to + "',9))\n";
            awaitTrue(() -> {
                lab.exec(from, Duration.ofSeconds(10), "python3", "-c", udp);
                return lab.exec(from, Duration.ofSeconds(10), "ip", "route", "get", to).output().contains(mtu);
            }, "the route to " + to + " learned the overlay's " + mtu + " from a UDP datagram of 1400 bytes");
            awaitTrue(() -> {
                lab.exec(from, Duration.ofSeconds(10), "ping", "-6", "-M", "do", "-s", "1352", "-c", "1", "-W", "1", "fd00:78::2");
                return lab.exec(from, Duration.ofSeconds(10), "ip", "-6", "route", "get", "fd00:78::2").output().contains(mtu);
            }, "the IPv6 route learned the overlay's " + mtu + " from a ping of 1400 bytes");
            awaitTrue(() -> {
                Map<String, Long> sw = status(1).controller().switchCounters();
                return sw.getOrDefault("too_big_answered_ipv4", 0L) > 0 && sw.getOrDefault("too_big_answered_ipv6", 0L) > 0
                        && sw.getOrDefault("too_big_to_controller", 0L) > 0;
            }, "the controller's answers and its punt flows' packet counts in the status");
            assertEquals(refusedBefore, status(1).frames().oversizedRefused(), "no oversized frame reached the node");
            String flows = Shell.run(Duration.ofSeconds(10), "ovs-ofctl", "-O", "OpenFlow13", "dump-flows",
                    "unix:" + lab.siteDir(1).resolve("rsbr.mgmt")).orThrow().output();
            assertTrue(flows.contains("check_pkt_larger(" + (SPEC.overlayMtu() + 14) + ")->NXM_NX_REG5[0]"), flows);
        } finally {
            lab.exec(from, Duration.ofSeconds(10), "ip", "addr", "del", "fd00:78::1/64", "dev", "eth0");
            lab.exec(SPEC.hostNamespace(2, 2), Duration.ofSeconds(10), "ip", "addr", "del", "fd00:78::2/64", "dev", "eth0");
            setHostMtu(SPEC.overlayMtu());
        }
    }

    /**
     * Packets too big for the overlay that the controllers answered with ICMP (UDP, ICMP), the nodes
     * answered with ICMP (plain TCP segments) or the nodes cut smaller (TCP super-frames).
     */
    private static long tooBig() {
        long n = 0;
        for (int site = 1; site <= 2; site++) {
            Map<String, Long> sw = status(site).controller().switchCounters();
            n += sw.getOrDefault("too_big_answered_ipv4", 0L) + sw.getOrDefault("too_big_answered_ipv6", 0L)
                    + status(site).frames().tcpTooBigAnswered() + status(site).frames().superFramesRecut();
        }
        return n;
    }

    /** Both sites' second hosts (and their bridge ports) at {@code mtu}. */
    private static void setHostMtu(int mtu) throws Exception {
        for (int site = 1; site <= 2; site++) {
            lab.exec(SPEC.siteNamespace(site), Duration.ofSeconds(10), "ip", "link", "set", "h2", "mtu", Integer.toString(mtu))
                    .orThrow();
            lab.exec(SPEC.hostNamespace(site, 2), Duration.ofSeconds(10), "ip", "link", "set", "eth0", "mtu",
                    Integer.toString(mtu)).orThrow();
            lab.exec(SPEC.hostNamespace(site, 2), Duration.ofSeconds(10), "ip", "route", "flush", "cache").orThrow();
        }
    }

    @Test
    @Order(5)
    void garbageOnTheUnderlayIsCountedAndDropped() throws Exception {
        long before = refused(1, "malformed") + refused(1, "unauthenticated") + refused(1, "record-unknown-receiver");
        // Not ours at all; too short for the envelope; a clear ring message (links are sealed);
        // a sealed record for a session that does not exist.
        String sealed = "RS\\x01\\x03\\x00\\x1c\\x00\\x00" + "\\x01\\x01".repeat(14);
        for (String payload : List.of("hello there, node", "x", "RS\\x01\\x01\\x00\\x02\\x00\\x00xx", sealed)) {
            lab.exec(SPEC.siteNamespace(2), Duration.ofSeconds(10), "bash", "-c",
                    "printf '" + payload + "' > /dev/udp/" + SPEC.siteUnderlayIp(1) + "/" + Lab.NODE_PORT).orThrow();
        }
        awaitTrue(() -> refused(1, "malformed") + refused(1, "unauthenticated") + refused(1, "record-unknown-receiver")
                >= before + 4, "site 1 counted the four bad datagrams");
        assertTrue(refused(1, "unauthenticated") >= 1, "a clear ring message is refused before any parsing");
        assertTrue(refused(1, "record-unknown-receiver") >= 1, "a record without a session is refused");
        assertEquals(0, status(1).rejects().get("MALFORMED_MESSAGE"), "nothing unauthenticated reached the ring's decoder");
        assertTrue(lab.ping(2, 1, 1, 1, 3, 0.1).lossless(), "the node still forwards");
    }

    @Test
    @Order(5)
    void standardDhcpClientsGetLeasesFromThePoolWithTheOverlayMtu() throws Exception {
        setMtu(2, 2, 1500);
        DhcpClients.Lease first = DhcpClients.dhclient(lab, 1, 2, Duration.ofSeconds(30));
        DhcpClients.Lease second = DhcpClients.udhcpc(lab, 2, 2, Duration.ofSeconds(30));
        log("leases: " + first + ", " + second);
        assertTrue(!first.ip().equals(second.ip()), "two clients, two addresses: " + first + " " + second);
        assertEquals(16, first.prefix());
        assertEquals(SPEC.overlayMtu(), second.mtu(), "option 26 set the MTU of a host left at 1500");
        assertEquals(SPEC.overlayMtu(), first.mtu());
        // Status files are written every 2 s.
        awaitTrue(() -> status(1).dhcp().leases().stream().anyMatch(l -> l.ip().equals(first.ip())), "site 1 keeps its lease");
        awaitTrue(() -> status(2).dhcp().leases().stream().anyMatch(l -> l.ip().equals(second.ip())), "site 2 keeps its lease");
        // The leased addresses work across the overlay.
        Ping ping = Ping.parse(lab.exec(SPEC.hostNamespace(2, 1), Duration.ofSeconds(20), "ping", "-n", "-q", "-c", "3",
                "-i", "0.2", "-W", "2", first.ip()).output());
        assertTrue(ping.lossless(), "ping to the leased " + first.ip() + ": " + ping);
        dhclientLease = first.ip();
        assertEquals(0, status(1).dhcp().malformed() + status(2).dhcp().malformed());
    }

    @Test
    @Order(6)
    void aRestartedSwitchGetsItsFlowsBack() throws Exception {
        // The controller's statistics poll every 5 s: wait for one that counts the bridge as it is now.
        long polled = status(1).controller().switchCounters().getOrDefault("flow_stats_polls", 0L);
        awaitTrue(() -> status(1).controller().switchCounters().getOrDefault("flow_stats_polls", 0L) > polled,
                "a statistics poll");
        ControllerStatus before = status(1).controller();
        assertTrue(before.flows() > 20 && before.meters() >= 2 * SPEC.hostsPerSite(), "the bridge is programmed: " + before);
        long handshakes = before.handshakes();
        String script = Preflight.home().resolve("ovs-scripts/ovs-instance.sh").toString();
        String dir = lab.siteDir(1).toString();
        lab.exec(SPEC.siteNamespace(1), Duration.ofSeconds(30), script, "stop", dir).orThrow();
        lab.exec(SPEC.siteNamespace(1), Duration.ofSeconds(30), script, "start", dir).orThrow();
        awaitTrue(() -> status(1).controller().handshakes() > handshakes,
                "the restarted switch reconnected");
        // Every flow, group and meter is rebuilt from the controller's state: hosts need not bind again.
        awaitTrue(() -> {
            ControllerStatus now = status(1).controller();
            return now.flows() >= before.flows() && now.meters() == before.meters() && now.groups() == before.groups();
        }, "the restarted switch has its " + before.flows() + " flows, " + before.meters() + " meters and "
                + before.groups() + " groups back");
        awaitPing(2, 1, 1, 1);
        assertEquals(before.switchCounters().get("addresses_bound"),
                status(1).controller().switchCounters().get("addresses_bound"), "the bindings survived the restart");
    }

    @Test
    @Order(7)
    void aRestartedNodeTakesOverItsBridgeAgain() throws Exception {
        lab.stopNode(1, false);
        lab.startNode(1);
        lab.awaitReady(Duration.ofSeconds(60));
        awaitPing(1, 2, 2, 2);
    }

    @Test
    @Order(8)
    void aCrashedNodeIsReplacedCleanly() throws Exception {
        lab.stopNode(2, true);
        assertTrue(lab.health(2).why().startsWith("process "), "a killed node is down: " + lab.health(2));
        assertTrue(!lab.ping(1, 1, 2, 1, 2, 0.2).lossless(), "with site 2's node dead nothing crosses");
        lab.startNode(2);
        lab.awaitReady(Duration.ofSeconds(60));
        awaitPing(1, 1, 2, 1);
    }

    @Test
    @Order(9)
    void aDhcpClientKeepsItsLeaseAcrossARestartOfItsNode() throws Exception {
        // Site 1's node was restarted above; dhclient renews every 15 s, to the new node.
        assertTrue(dhclientLease != null, "the DHCP test ran first");
        awaitTrue(() -> status(1).dhcp().leases().stream().anyMatch(l -> l.ip().equals(dhclientLease)),
                "the restarted node granted " + dhclientLease + " again on renewal");
        String addr = lab.exec(SPEC.hostNamespace(1, 2), Duration.ofSeconds(10), "ip", "-4", "-o", "addr", "show", "dev",
                "eth0").output();
        assertTrue(addr.contains(dhclientLease + "/16"), addr);
        assertTrue(status(1).dhcp().acks() >= 1);
        assertEquals(0, status(1).dhcp().naks(), "no renewal was refused");
    }

    @Test
    @Order(10)
    void aHostThatMovesToAnotherSiteIsReachedThere() throws Exception {
        // Host 2 of site 2 leaves its port (as a migrated VM's does) and comes up on site 1's bridge
        // with its MAC and address; both sites' hosts reach it at its new place.
        String hostNs = SPEC.hostNamespace(2, 2);
        String db = "unix:" + lab.siteDir(2).resolve("db.sock");
        Shell.run(Duration.ofSeconds(10), "ovs-vsctl", "--db=" + db, "del-port", "rsbr", "h2").orThrow();
        lab.exec(hostNs, Duration.ofSeconds(10), "ip", "link", "del", "eth0").orThrow();
        Shell.run(Duration.ofSeconds(10), "ip", "link", "add", "m2", "netns", SPEC.siteNamespace(1), "mtu",
                Integer.toString(SPEC.overlayMtu()), "type", "veth", "peer", "name", "eth0", "netns", hostNs, "mtu",
                Integer.toString(SPEC.overlayMtu())).orThrow();
        lab.exec(hostNs, Duration.ofSeconds(10), "ip", "link", "set", "eth0", "address", SPEC.hostMac(2, 2)).orThrow();
        lab.exec(hostNs, Duration.ofSeconds(10), "ip", "addr", "add", SPEC.hostIp(2, 2) + "/16", "dev", "eth0").orThrow();
        lab.exec(hostNs, Duration.ofSeconds(10), "ip", "link", "set", "eth0", "up").orThrow();
        lab.exec(SPEC.siteNamespace(1), Duration.ofSeconds(10), "ip", "link", "set", "m2", "up").orThrow();
        Shell.run(Duration.ofSeconds(10), "ovs-vsctl", "--db=unix:" + lab.siteDir(1).resolve("db.sock"), "add-port",
                "rsbr", "m2").orThrow();
        long moved = System.nanoTime();
        // Its old neighbours still have it in their ARP caches: no new ARP is needed to reach it. Site
        // 2's node was killed and restarted above, so nobody withdrew the host there: its directory
        // record runs out (30 s at most) before site 1 may bind it, and a refused MAC waits 5 s.
        awaitPing(2, 1, 2, 2, Duration.ofSeconds(60));
        awaitPing(1, 1, 2, 2);
        log("moved host " + SPEC.hostIp(2, 2) + " reached from both sites after "
                + (System.nanoTime() - moved) / 1_000_000 + " ms");
    }

    private static void setMtu(int site, int host, int mtu) throws Exception {
        lab.exec(SPEC.hostNamespace(site, host), Duration.ofSeconds(10), "ip", "link", "set", "dev", "eth0", "mtu",
                Integer.toString(mtu)).orThrow();
    }

    private static void awaitPing(int fromSite, int fromHost, int toSite, int toHost) throws Exception {
        awaitPing(fromSite, fromHost, toSite, toHost, AWAIT);
    }

    private static void awaitPing(int fromSite, int fromHost, int toSite, int toHost, Duration limit) throws Exception {
        awaitTrue(() -> lab.ping(fromSite, fromHost, toSite, toHost, 1, 0.2).lossless(),
                "ping " + SPEC.hostIp(fromSite, fromHost) + " -> " + SPEC.hostIp(toSite, toHost) + " recovers", limit);
        Ping ping = lab.ping(fromSite, fromHost, toSite, toHost, 5, 0.1);
        assertTrue(ping.lossless(), ping.toString());
    }

    /** The status of a site's node, which must be up. */
    private static NodeStatus status(int site) {
        SiteHealth health = lab.health(site);
        assertTrue(health.up(), "site " + site + " is down: " + health.why());
        return health.status().orElseThrow();
    }

    private static long refused(int site, String reason) {
        return status(site).security().refused().getOrDefault(reason, 0L);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        awaitTrue(check, what, AWAIT);
    }

    private static void awaitTrue(Check check, String what, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out waiting until " + what);
    }

    private static void log(String line) {
        System.err.println("[lab] " + line);
    }
}
