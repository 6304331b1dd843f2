package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's ring view: a member is online while another member's fresh report names it, its own
 * report only moves its "last seen", and then it is offline since the last report that named it;
 * replayed reports and reports of revoked members are refused, also after a restart.
 */
class RingViewStoreTest {
    static final String A = "aa".repeat(20);
    static final String B = "bb".repeat(20);
    static final String C = "cc".repeat(20);
    static final Duration FRESH = Duration.ofSeconds(6);

    @TempDir
    Path tmp;
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    GroupStore store;

    @BeforeEach
    void members() throws Exception {
        store = GroupStore.open(tmp.resolve("group.json"));
        int serial = 1;
        for (String[] m : new String[][] {{"a", A}, {"b", B}, {"c", C}}) {
            String token = store.approve(store.ask(m[0], "ops@example.org", t0).id(), t0).token();
            store.enrol(token, m[1], BigInteger.valueOf(serial++), t0.plusSeconds(3600), t0);
        }
    }

    @Test
    void onlineWhileAnotherMembersFreshReportNamesItThenOfflineSince() throws Exception {
        assertEquals("never", store.ringView(t0).get("b").describe());
        Instant t1 = t0.plusSeconds(10);
        store.report(A, BigInteger.ONE, t1.toEpochMilli(), FRESH, List.of(B), t1);

        RingView b = store.ringView(t1.plusSeconds(1)).get("b");
        assertTrue(b.online(), "a's report names b: " + b);
        assertEquals(1, b.seenBy());
        assertEquals(t1.toEpochMilli(), b.at());
        RingView a = store.ringView(t1.plusSeconds(1)).get("a");
        assertFalse(a.online(), "a's own report does not make a online");
        assertEquals("never", a.kind());
        assertEquals(t1.toEpochMilli(), store.member("a").orElseThrow().lastSeen(), "a's own report moves its last seen");
        assertEquals(t0.toEpochMilli(), store.member("b").orElseThrow().lastSeen(), "being named does not move b's last seen");

        Instant t2 = t1.plusSeconds(2);
        store.report(C, BigInteger.valueOf(3), t2.toEpochMilli(), FRESH, List.of(B, A), t2);
        assertEquals(2, store.ringView(t2).get("b").seenBy(), "named by a and c");

        RingView stale = store.ringView(t2.plus(FRESH).plusSeconds(1)).get("b");
        assertFalse(stale.online(), "no fresh report names b any more");
        assertEquals("offline since " + t2, stale.describe());
        assertEquals("offline since " + t2, GroupStore.open(tmp.resolve("group.json")).ringView(t2.plusSeconds(60))
                .get("b").describe(), "the view survives a restart");
    }

    @Test
    void aReplayedOrOlderReportIsRefusedAlsoAfterARestart() throws Exception {
        Instant t1 = t0.plusSeconds(10);
        store.report(A, BigInteger.ONE, t1.toEpochMilli(), FRESH, List.of(B), t1);
        assertEquals("report-replayed", assertThrows(GroupRefusal.class,
                () -> store.report(A, BigInteger.ONE, t1.toEpochMilli(), FRESH, List.of(C), t1.plusSeconds(1))).reason());
        GroupStore again = GroupStore.open(tmp.resolve("group.json"));
        assertEquals("report-replayed", assertThrows(GroupRefusal.class,
                () -> again.report(A, BigInteger.ONE, t1.toEpochMilli() - 1, FRESH, List.of(C), t1.plusSeconds(1))).reason());
        assertEquals("never", again.ringView(t1.plusSeconds(1)).get("c").kind(), "the replay named nobody online");
        again.report(A, BigInteger.ONE, t1.toEpochMilli() + 1, FRESH, List.of(C), t1.plusSeconds(1));
        assertTrue(again.ringView(t1.plusSeconds(1)).get("c").online(), "a newer report is taken");
    }

    @Test
    void aRevokedMembersReportIsRefusedAndItsLastReportNoLongerCounts() throws Exception {
        Instant t1 = t0.plusSeconds(10);
        store.report(A, BigInteger.ONE, t1.toEpochMilli(), FRESH, List.of(B), t1);
        store.revoke("a", t1);
        assertFalse(store.ringView(t1).get("b").online(), "the revoked member's earlier report names nobody online");
        assertEquals("report-revoked", assertThrows(GroupRefusal.class,
                () -> store.report(A, BigInteger.ONE, t1.toEpochMilli() + 1, FRESH, List.of(B), t1.plusSeconds(5))).reason());
        assertEquals(t1.toEpochMilli(), store.member("a").orElseThrow().lastSeen());
    }

    @Test
    void aCertificateNotIssuedToTheMemberOrAnUnknownAddressIsRefused() {
        assertEquals("report-serial", assertThrows(GroupRefusal.class,
                () -> store.report(A, BigInteger.TWO, t0.toEpochMilli(), FRESH, List.of(B), t0)).reason());
        assertEquals("report-not-member", assertThrows(GroupRefusal.class,
                () -> store.report("dd".repeat(20), BigInteger.ONE, t0.toEpochMilli(), FRESH, List.of(B), t0)).reason());
    }
}
