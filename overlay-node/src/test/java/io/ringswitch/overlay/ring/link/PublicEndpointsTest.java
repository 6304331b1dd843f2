package io.ringswitch.overlay.ring.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.VirtualClock;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What peers report of a node's endpoint, and what the node makes of it. */
class PublicEndpointsTest {
    private static final InetSocketAddress BOUND = new InetSocketAddress("172.16.3.2", 5800);
    private static final InetSocketAddress PUBLIC = new InetSocketAddress("10.99.0.3", 5800);
    private static final InetSocketAddress OTHER_PORT = new InetSocketAddress("10.99.0.3", 40001);
    private static final InetSocketAddress ELSEWHERE = new InetSocketAddress("192.0.2.66", 5800);
    private static final RingAddress A = RingAddress.ofName("a");
    private static final RingAddress B = RingAddress.ofName("b");
    private static final RingAddress C = RingAddress.ofName("c");

    private final VirtualClock clock = new VirtualClock();
    private final PublicEndpoints endpoints = new PublicEndpoints(BOUND, clock);

    @Test
    void withNoReportTheMappingIsUnknownAndOnlyTheBoundEndpointIsAdvertised() {
        assertEquals(PublicEndpoints.Mapping.UNKNOWN, endpoints.mapping());
        assertEquals(List.of(), endpoints.learned());
        assertEquals(List.of(BOUND), endpoints.advertised(4));
        endpoints.report(A, null);
        assertEquals(PublicEndpoints.Mapping.UNKNOWN, endpoints.mapping(), "a report of nothing (not UDP) counts for nothing");
    }

    @Test
    void oneReporterIsBelievedUntilAnotherDisagreesAndTwoThatAgreeOutweighALiar() {
        endpoints.report(A, PUBLIC);
        assertEquals(List.of(PUBLIC), endpoints.learned(), "the only peer so far");
        assertEquals(List.of(BOUND, PUBLIC), endpoints.advertised(4));
        assertEquals(PublicEndpoints.Mapping.CONSISTENT, endpoints.mapping());
        endpoints.report(B, ELSEWHERE);
        assertEquals(List.of(), endpoints.learned(), "two peers, no agreement");
        endpoints.report(C, PUBLIC);
        assertEquals(List.of(PUBLIC), endpoints.learned(), "two agree; the third cannot move it");
        assertTrue(endpoints.isOwn(PUBLIC), "what peers agree on is this node's own: no probe target to limit");
        assertFalse(endpoints.isOwn(ELSEWHERE), "one peer's word alone does not make a third party's address ours");
        assertFalse(endpoints.isOwn(OTHER_PORT));
    }

    @Test
    void aPeerCountsOnceAndItsLatestReportCounts() {
        endpoints.report(A, PUBLIC);
        endpoints.report(A, PUBLIC);
        endpoints.report(B, ELSEWHERE);
        assertEquals(List.of(), endpoints.learned(), "one peer saying it twice is not two peers");
        endpoints.report(B, PUBLIC);
        assertEquals(List.of(PUBLIC), endpoints.learned(), "B now sees it where A does");
    }

    @Test
    void theMappingIsNoneConsistentOrVarying() {
        endpoints.report(A, BOUND);
        endpoints.report(B, BOUND);
        assertEquals(PublicEndpoints.Mapping.NONE, endpoints.mapping());
        assertEquals(List.of(BOUND), endpoints.advertised(4), "the bound endpoint once");
        endpoints.report(A, PUBLIC);
        endpoints.report(B, PUBLIC);
        assertEquals(PublicEndpoints.Mapping.CONSISTENT, endpoints.mapping());
        endpoints.report(C, OTHER_PORT);
        assertEquals(PublicEndpoints.Mapping.VARIES, endpoints.mapping(), "one address, a port per peer");
    }

    @Test
    void aReportLastsAsLongAsItsLinkAndNoLongerThanThirtySeconds() {
        endpoints.report(A, PUBLIC);
        endpoints.report(B, PUBLIC);
        endpoints.linkDown(new Link(new Contact(B, PUBLIC), new PeerPath.Udp(PUBLIC), 0));
        endpoints.report(C, ELSEWHERE);
        assertEquals(List.of(), endpoints.learned(), "B's word went with its link");
        clock.runUntil(PublicEndpoints.FORGET_MILLIS + 1);
        assertEquals(PublicEndpoints.Mapping.UNKNOWN, endpoints.mapping());
    }

    @Test
    void theNewestReportIsAdvertisedLastAndAPeerThatSeesANewPortSaysTheNodeMoved() {
        int[] moved = new int[1];
        endpoints.onMoved(() -> moved[0]++);
        endpoints.report(A, PUBLIC);
        endpoints.report(B, PUBLIC);
        endpoints.report(C, PUBLIC);
        endpoints.report(A, PUBLIC);
        assertEquals(0, moved[0]);
        clock.runUntil(1);
        endpoints.report(A, OTHER_PORT);
        assertEquals(1, moved[0], "A sees this node at a new port: its NAT mapping changed");
        assertEquals(List.of(PUBLIC), endpoints.learned(), "one peer's word is not enough to learn the new one");
        assertEquals(List.of(BOUND, PUBLIC, OTHER_PORT), endpoints.advertised(4), "but a punch may try it");
        assertEquals(List.of(BOUND, PUBLIC), endpoints.advertised(2));
    }

    @Test
    void theLeastRecentReporterMakesRoomAndTheLastReportWithinAMillisecondIsTheNewest() {
        // Reporters 0 and 1 see PUBLIC; the others ELSEWHERE. Reporter 0 reports again, so that
        // the 65th reporter pushes out reporter 1, the one that reported least recently.
        for (int i = 0; i < PublicEndpoints.MAX_REPORTERS; i++) {
            endpoints.report(RingAddress.ofName("peer" + i), i < 2 ? PUBLIC : ELSEWHERE);
        }
        endpoints.report(RingAddress.ofName("peer0"), PUBLIC);
        assertEquals(List.of(ELSEWHERE, PUBLIC), endpoints.learned(), "62 votes, then 2");
        endpoints.report(RingAddress.ofName("peer" + PublicEndpoints.MAX_REPORTERS), OTHER_PORT);
        assertEquals(List.of(ELSEWHERE), endpoints.learned(), "reporter 1's vote for PUBLIC is gone");
        endpoints.report(RingAddress.ofName("peer1"), PUBLIC);
        assertEquals(List.of(ELSEWHERE, PUBLIC), endpoints.learned(), "reporter 2 made room for reporter 1 again");
        assertEquals(List.of(BOUND, ELSEWHERE, PUBLIC), endpoints.advertised(4),
                "all in one millisecond: the last report (PUBLIC, advertised already) is the newest, not OTHER_PORT");
    }

    @Test
    void endpointsWithEqualVotesKeepTheOrderOfTheirFirstReporters() {
        endpoints.report(A, ELSEWHERE);
        endpoints.report(B, PUBLIC);
        endpoints.report(C, PUBLIC);
        endpoints.report(RingAddress.ofName("d"), ELSEWHERE);
        assertEquals(List.of(ELSEWHERE, PUBLIC), endpoints.learned());
        endpoints.report(A, ELSEWHERE);
        assertEquals(List.of(PUBLIC, ELSEWHERE), endpoints.learned(), "A reported again: B is now the oldest reporter");
    }

    @Test
    void aWildcardBoundEndpointIsNeverAdvertised() {
        PublicEndpoints wildcard = new PublicEndpoints(new InetSocketAddress("0.0.0.0", 5800), clock);
        assertEquals(List.of(), wildcard.advertised(4));
        wildcard.report(A, PUBLIC);
        assertEquals(List.of(PUBLIC), wildcard.advertised(4));
    }

    @Test
    void theAdvertisedListIsBounded() {
        RingAddress[] peers = new RingAddress[12];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = RingAddress.ofName("p" + i);
            endpoints.report(peers[i], new InetSocketAddress("10.99.0." + (i / 2 + 1), 5800));
        }
        assertEquals(6, endpoints.learned().size());
        assertEquals(4, endpoints.advertised(4).size());
        assertEquals(BOUND, endpoints.advertised(4).get(0));
    }

    @Test
    void aNatThatVariesItsPortsIsStillGuessedAtItsAddressWithTheBoundPort() {
        InetSocketAddress first = new InetSocketAddress("10.99.0.3", 40002);
        endpoints.report(A, first);
        clock.runUntil(1);
        endpoints.report(B, OTHER_PORT);
        assertEquals(PublicEndpoints.Mapping.VARIES, endpoints.mapping());
        assertEquals(List.of(), endpoints.learned(), "no two peers agree on a port");
        assertEquals(List.of(BOUND, PUBLIC, OTHER_PORT), endpoints.advertised(4),
                "the public address with the bound port, where a NAT that now keeps ports maps a new flow, then the newest");
    }
}
