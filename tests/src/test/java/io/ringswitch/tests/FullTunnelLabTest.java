package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import io.ringswitch.topology.Shell;
import io.ringswitch.topology.SiteHealth;
import io.ringswitch.topology.TunnelProbes;
import io.ringswitch.topology.UplinkLeaks;
import io.ringswitch.topology.internet.InternetLog;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Full tunnel by flow rules (issue 17), end to end: site 1 a gateway, site 2 a full-tunnel client,
 * site 3 plain, and the lab's internet namespace. A capture on the client's uplink runs for the whole
 * test; every step checks that nothing but the node's own underlay traffic left it, while the gateway,
 * the client's OVS and the client's node go down and come back, and while the client's host tries
 * on purpose to get around the tunnel (attemptLeaks: a leak check that would fail without the flows,
 * since every site's default route leads to the internet namespace). IPv6 from the host's VPN
 * address is dropped while the client says {@code ipv6: drop}, and reaches the internet as the
 * gateway's IPv6 address (NAT66) once the restarted client says {@code ipv6: carry}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullTunnelLabTest {
    private static final int GATEWAY = 1;
    private static final int CLIENT = 2;
    private static final Duration AWAIT = Duration.ofSeconds(30);
    private static final LabSpec SPEC = new LabSpec("ftun", 3, 1, null, null, null, null, null, null, null, null,
            List.of(GATEWAY), List.of(CLIENT), null).checked();
    private static Lab lab;
    private static UplinkLeaks leaks;
    private static TunnelProbes probe;

    @org.junit.jupiter.api.extension.RegisterExtension
    final KeepLogsOnFailure keepLogs = new KeepLogsOnFailure(() -> lab);

    @BeforeAll
    static void up() throws Exception {
        Lab.down(SPEC.name(), FullTunnelLabTest::log);
        lab = Lab.up(SPEC, Preflight.home(), FullTunnelLabTest::log);
        leaks = UplinkLeaks.start(SPEC, CLIENT, lab.runDir().resolve("client-uplink.pcap"));
        probe = new TunnelProbes(lab, CLIENT);
    }

    @AfterAll
    static void down() throws Exception {
        if (leaks != null) {
            leaks.close();
        }
        Lab.down(SPEC.name(), FullTunnelLabTest::log);
        String left = Shell.run(Duration.ofSeconds(10), "ip", "netns", "list").output();
        assertFalse(left.contains(SPEC.prefix() + "-"), "namespaces left behind: " + left);
        assertFalse(Files.exists(Path.of("/etc/netns", SPEC.hostNamespace(CLIENT, 1))), "/etc/netns left behind");
    }

    @Test
    @Order(1)
    void theClientHostFetchesThePageByNameThroughTheGateway() throws Exception {
        TunnelProbes.Fetch fetch = probe.fetchUntil(AWAIT);
        assertTrue(fetch.ok(), "curl through the tunnel: " + fetch);
        assertEquals(SPEC.siteUnderlayIp(GATEWAY), last("http"), "the server saw the gateway's address");
        assertEquals(SPEC.siteUnderlayIp(GATEWAY), last("dns"), "the lookup went through the tunnel to the gateway's resolver");
        TunnelProbes.Fetch v6 = probe.fetchIpv6(Duration.ofSeconds(2));
        assertFalse(v6.ok(), "ipv6: drop (the default), yet curl -6 from the host's bound VPN address got through: " + v6);
        assertEquals("", probe.ipv6DefaultRoute(), "ipv6: drop: the site's router advertisements give no default route");
        assertNoLeaks("after the first page and IPv6 dropped by policy");
    }

    @Test
    @Order(2)
    void withTheGatewayStoppedNothingLeaksAndNothingLoadsAndItComesBack() throws Exception {
        lab.stopNode(GATEWAY, false);
        assertFalse(probe.anyFetchWorks(Duration.ofSeconds(3)), "a page loaded with no gateway");
        probe.attemptLeaks();
        assertNoLeaks("with the gateway down and leaks attempted on purpose");
        lab.startNode(GATEWAY);
        TunnelProbes.Fetch fetch = probe.fetchUntil(Duration.ofSeconds(45));
        assertTrue(fetch.ok(), "traffic resumed by itself when the gateway returned: " + fetch);
        assertNoLeaks("after the gateway returned");
    }

    @Test
    @Order(3)
    void afterTheClientsOvsRestartsTheFlowsAreBackAndNothingLeaked() throws Exception {
        ControllerStatus before = status(CLIENT).controller();
        lab.restartOvs(CLIENT);
        awaitTrue(() -> status(CLIENT).controller().handshakes() > before.handshakes(), "the restarted switch reconnected");
        awaitTrue(() -> status(CLIENT).controller().flows() >= before.flows(), "the restarted switch has its "
                + before.flows() + " flows back");
        TunnelProbes.Fetch fetch = probe.fetchUntil(AWAIT);
        assertTrue(fetch.ok(), "the page loads after the switch restarted: " + fetch);
        assertNoLeaks("across the switch restart");
    }

    @Test
    @Order(4)
    void aRestartedClientNodeTakesOverWithoutALeak() throws Exception {
        lab.stopNode(CLIENT, false);
        assertFalse(probe.anyFetchWorks(Duration.ofSeconds(2)), "a page loaded while the client's node was down");
        probe.attemptLeaks();
        assertNoLeaks("with the client's node down (fail closed: the flows stay in OVS)");
        lab.carryIpv6(CLIENT, true);
        lab.startNode(CLIENT);
        TunnelProbes.Fetch fetch = probe.fetchUntil(Duration.ofSeconds(45));
        assertTrue(fetch.ok(), "the page loads after the client's node restarted: " + fetch);
        assertNoLeaks("after the client's node restarted");
    }

    @Test
    @Order(5)
    void withIpv6CarriedTheHostReachesTheInternetOverIpv6AsTheGateway() throws Exception {
        TunnelProbes.Fetch fetch = probe.fetchIpv6(AWAIT);
        assertTrue(fetch.ok(), "curl -6 through the gateway (ipv6: carry, the gateway carries IPv6): " + fetch);
        String route = probe.ipv6DefaultRoute();
        assertTrue(route.contains("proto ra") && route.contains("via fe80::"), "the default route from the site's advertisements: "
                + route);
        assertEquals(InetAddress.getByName(SPEC.siteUnderlayIp6(GATEWAY)), InetAddress.getByName(last("http")),
                "the server saw the gateway's IPv6 address (NAT66)");
        UplinkLeaks.Count all = leaks.stop();
        assertEquals(0, all.total(), "leaks over the whole test, see " + leaks.file() + ": " + all);
    }

    private static void assertNoLeaks(String when) throws Exception {
        UplinkLeaks.Count count = leaks.count();
        assertEquals(0, count.total(), "frames other than the node's own left the client's uplink " + when + ": " + count
                + "; read them with tcpdump -e -n -r " + leaks.file());
    }

    /** The source address the internet saw on its last request of {@code kind}. */
    private static String last(String kind) throws Exception {
        List<InternetLog.Entry> all = lab.internetRequests().stream().filter(e -> e.kind().equals(kind)).toList();
        return all.isEmpty() ? "(none)" : all.get(all.size() - 1).source();
    }

    private static io.ringswitch.overlay.api.NodeStatus status(int site) {
        SiteHealth health = lab.health(site);
        assertTrue(health.up(), "site " + site + " is down: " + health.why());
        return health.status().orElseThrow();
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + AWAIT.toNanos();
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
