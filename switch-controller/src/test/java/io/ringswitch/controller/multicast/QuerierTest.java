package io.ringswitch.controller.multicast;

import static io.ringswitch.controller.multicast.MembershipFrames.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuerierTest {
    private static final long INTERVAL = 10_000;

    /** The times of the queries a querier sends between 0 and {@code until}, asked once a second. */
    private static List<Long> queries(Querier q, long from, long until) {
        List<Long> at = new ArrayList<>();
        for (long now = from; now <= until; now += 1000) {
            if (q.due(now)) {
                at.add(now);
            }
        }
        return at;
    }

    @Test
    void startupQueriesAQuarterIntervalApartThenEveryInterval() {
        Querier q = new Querier(true, INTERVAL, ip("fe80::5"), 0);
        assertEquals(List.of(0L, 3000L, 13_000L, 23_000L), queries(q, 0, 25_000));
    }

    @Test
    void aLowerAddressWinsAndThisNodeResumesWhenItGoesQuiet() {
        Querier q = new Querier(true, INTERVAL, ip("fe80::5"), 0);
        assertTrue(q.due(0));
        q.heard(ip("fe80::9"), 500);
        assertTrue(q.querier(500), "a higher address does not win");
        q.heard(ip("fe80::1"), 1000);
        assertFalse(q.querier(1000));
        long quietUntil = 1000 + q.otherQuerierPresentMillis();
        assertEquals(2 * INTERVAL + 5_000, q.otherQuerierPresentMillis(), "RFC 3376 §8.5");
        assertEquals(List.of(), queries(q, 2000, quietUntil - 1000));
        assertEquals(quietUntil, queries(q, quietUntil, quietUntil + 1000).get(0), "queries again at once");
    }

    @Test
    void theProxyAddressLosesToAnyRouterButNotToItself() {
        Querier q = new Querier(true, INTERVAL, IgmpCodec.ANY, 0);
        q.heard(ip("0.0.0.0"), 0);
        assertTrue(q.querier(0), "its own kind of query (another snooping node) is not a router");
        q.heard(ip("10.77.1.200"), 0);
        assertFalse(q.querier(0), "any router wins over 0.0.0.0");
    }

    @Test
    void aDisabledQuerierNeverQueries() {
        Querier q = new Querier(false, INTERVAL, IgmpCodec.ANY, 0);
        assertEquals(List.of(), queries(q, 0, 60_000));
    }

    @Test
    void membershipIntervalIsRobustnessTimesIntervalPlusResponse() {
        assertEquals(260_000, new Querier(true, 125_000, IgmpCodec.ANY, 0).membershipMillis());
    }
}
