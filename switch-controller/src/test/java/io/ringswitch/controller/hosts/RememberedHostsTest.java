package io.ringswitch.controller.hosts;

import static io.ringswitch.controller.hosts.HostsSite.P1;
import static io.ringswitch.controller.hosts.HostsSite.P2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.BoundHostStore;
import io.ringswitch.controller.api.BoundHostStore.BoundHost;
import io.ringswitch.controller.api.SiteDirectory.Located;
import io.ringswitch.controller.pipeline.FakeDirectory;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.Frames;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A restarted node binds the hosts it bound before at once and lets the directory check them
 * after (issue 21's cold start): a host's first frames pass before the directory answers, and
 * nobody gets past the directory by claiming what a remembered host had.
 */
class RememberedHostsTest {
    static final MacAddress A = MacAddress.of("02:77:00:00:01:01");
    static final MacAddress REMOTE = MacAddress.of("02:77:00:00:02:01");
    static final IPv4Address IP_A = IPv4Address.of("10.77.1.1");
    static final IPv4Address IP_OTHER = IPv4Address.of("10.77.1.9");
    static final IPv4Address IP_REMOTE = IPv4Address.of("10.77.2.1");

    /** A store in memory: what the last process saved, and every save of this one. */
    static final class MemoryStore implements BoundHostStore {
        final List<BoundHost> before;
        final List<List<BoundHost>> saves = new ArrayList<>();

        MemoryStore(BoundHost... before) {
            this.before = List.of(before);
        }

        @Override
        public List<BoundHost> load() {
            return before;
        }

        @Override
        public void save(List<BoundHost> hosts) {
            saves.add(hosts);
        }
    }

    /** A restarted site whose directory still holds the records this site published before (its DHT records live on). */
    private static HostsSite restarted(BoundHost... before) throws Exception {
        HostsSite site = new HostsSite(new MemoryStore(before));
        site.directory.ips.put(inet(IP_A), new Located(A, true, "here"));
        site.directory.macs.put(A, new Located(A, true, "here"));
        site.directory.slow();
        return site;
    }

    private static BoundHost aOnP1() throws Exception {
        return new BoundHost(1, "p1", A, List.of(inet(IP_A)));
    }

    private static byte[] fromA(IPv4Address source) {
        return Frames.udp(A, REMOTE, source, IP_REMOTE, 5000, 5000, new byte[8]);
    }

    @Test
    void aHostBoundBeforeTheRestartPassesBeforeTheDirectoryAnswersAndIsPublishedOnlyOnceItAgrees() throws Exception {
        HostsSite site = restarted(aOnP1());
        Verdict first = site.send(P1, fromA(IP_A));
        assertFalse(first.outputs().isEmpty(), "the first frame goes on without waiting for the directory");
        assertEquals(P1, site.hosts.portOf(A));
        assertEquals(List.of(inet(IP_A)), site.hosts.addresses(A));
        assertTrue(site.directory.published.isEmpty(), "nothing is published before the directory agrees");

        site.directory.answer();
        assertEquals(List.of(new FakeDirectory.Entry(inet(IP_A), A)), site.directory.published);
        assertEquals(P1, site.hosts.portOf(A));
        assertEquals(0, site.hosts.stats().macConflicts() + site.hosts.stats().addressConflicts());
    }

    @Test
    void aHostOnAnotherPortWithARememberedMacWaitsForTheDirectoryLikeAnyNewHost() throws Exception {
        HostsSite site = restarted(aOnP1());
        Verdict spoofed = site.send(P2, fromA(IP_A));
        assertTrue(spoofed.outputs().isEmpty(), "held until the directory answers");
        assertNull(site.hosts.portOf(A));
        assertTrue(site.hosts.addresses(A).isEmpty());
    }

    @Test
    void aRememberedHostThatTheDirectoryNowPlacesAtAnotherSiteIsUnboundAndItsFramesDropped() throws Exception {
        HostsSite site = restarted(aOnP1());
        // While this node was down, the host moved to site 7 (or somebody there claims it): the directory says so.
        site.directory.ips.put(inet(IP_A), new Located(A, false, "site-7"));
        site.directory.macs.put(A, new Located(A, false, "site-7"));
        site.send(P1, fromA(IP_A));
        assertEquals(P1, site.hosts.portOf(A));

        site.directory.answer();
        assertNull(site.hosts.portOf(A), "the directory's answer undoes the binding");
        assertTrue(site.hosts.addresses(A).isEmpty());
        assertEquals(1, site.hosts.stats().macConflicts());
        assertTrue(site.directory.published.isEmpty(), "the address was never published from here");
        assertTrue(site.send(P1, fromA(IP_A)).dropped(), "frames from the refused MAC are dropped in the datapath");
    }

    @Test
    void aRememberedMacClaimingAnAddressItDidNotHaveWaitsForTheDirectory() throws Exception {
        HostsSite site = restarted(aOnP1());
        Verdict claim = site.send(P1, fromA(IP_OTHER));
        assertEquals(P1, site.hosts.portOf(A), "the MAC is the one remembered on this port");
        assertTrue(site.hosts.addresses(A).isEmpty(), "the address is not");
        assertTrue(claim.outputs().isEmpty(), "its frame waits for the directory");
    }

    @Test
    void aPortWithAnotherNameThanBeforeTheRestartIsNotTrustedWithTheRememberedHost() throws Exception {
        HostsSite site = restarted(new BoundHost(1, "eth-gone", A, List.of(inet(IP_A))));
        assertTrue(site.send(P1, fromA(IP_A)).outputs().isEmpty());
        assertNull(site.hosts.portOf(A));
    }

    @Test
    void rememberedHostsAreBoundEarlyOnlyInTheFirstMinuteAfterTheStart() throws Exception {
        HostsSite site = restarted(aOnP1());
        site.base.advanceMillis(RememberedHosts.WINDOW_MILLIS);
        assertTrue(site.send(P1, fromA(IP_A)).outputs().isEmpty());
        assertNull(site.hosts.portOf(A));
    }

    @Test
    void theStoreHoldsWhatIsBoundForTheNextStart() throws Exception {
        MemoryStore store = new MemoryStore();
        HostsSite site = new HostsSite(store);
        site.apply(site.hosts.leased(P1, A, inet(IP_A)));
        assertEquals(List.of(new BoundHost(1, "p1", A, List.of(inet(IP_A)))), store.saves.get(store.saves.size() - 1));
        site.removePort(P1);
        assertEquals(List.of(), store.saves.get(store.saves.size() - 1));
    }

    @Test
    void anAddressNotClaimedAgainSinceTheRestartStaysRememberedForTheNextOne() throws Exception {
        MemoryStore store = new MemoryStore(aOnP1());
        HostsSite site = new HostsSite(store);
        site.directory.slow();
        site.send(P1, fromA(IP_OTHER));
        site.directory.answer();
        site.directory.answer();
        assertEquals(List.of(inet(IP_OTHER)), site.hosts.addresses(A));
        assertEquals(List.of(new BoundHost(1, "p1", A, List.of(inet(IP_OTHER), inet(IP_A)))),
                store.saves.get(store.saves.size() - 1));
    }

    static InetAddress inet(IPv4Address ip) throws Exception {
        return InetAddress.getByAddress(ip.getBytes());
    }
}
