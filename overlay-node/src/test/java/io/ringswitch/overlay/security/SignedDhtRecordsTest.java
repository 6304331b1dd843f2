package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtRecord;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sealing and checking DHT records: each check met by a record made to get past it. */
class SignedDhtRecordsTest {
    private static final long NOW = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    private static final DhtKey KEY = DhtKey.of("mcast4:239.1.1.1");
    private static final byte[] VALUE = "site".getBytes(StandardCharsets.UTF_8);

    private static NodeIdentity member(GroupCa ca, String name, Duration validity) throws Exception {
        KeyPair keys = GroupCa.newKeyPair();
        X509Certificate cert = ca.issue(name, keys.getPublic(), Optional.empty(), Instant.ofEpochMilli(NOW), validity);
        return new NodeIdentity(keys.getPrivate(), NodeCertificate.verify(cert, ca.certificate(), Instant.ofEpochMilli(NOW)),
                ca.certificate());
    }

    @Test
    void aRecordChecksOnlyUnderItsKeyWithItsValueFromItsTimeAndItsCa() throws Exception {
        GroupCa ca = GroupCa.create("lab", Instant.ofEpochMilli(NOW), Duration.ofDays(30));
        long[] wall = {NOW};
        SignedDhtRecords reader = new SignedDhtRecords(member(ca, "reader", Duration.ofDays(7)), () -> wall[0]);
        SignedDhtRecords writer = new SignedDhtRecords(member(ca, "writer", Duration.ofDays(7)), () -> wall[0]);
        DhtCounters c = new DhtCounters();
        byte[] sealed = writer.seal(KEY, VALUE, 60_000, false);
        DhtRecord record = reader.check(KEY, sealed, c);
        assertNotNull(record);
        assertArrayEquals(VALUE, record.value());

        assertNull(reader.check(DhtKey.of("mcast4:239.1.1.2"), sealed, c), "moved to another key");
        byte[] tampered = sealed.clone();
        tampered[sealed.length - DhtRecord.SIGNATURE - 1] ^= 1;
        assertNull(reader.check(KEY, tampered, c), "value changed");
        assertEquals(2, c.recordBadSignature());

        SignedDhtRecords ahead = new SignedDhtRecords(member(ca, "ahead", Duration.ofDays(7)), () -> wall[0] + 31_000);
        assertNull(reader.check(KEY, ahead.seal(KEY, VALUE, 60_000, false), c));
        assertEquals(1, c.recordFutureTimestamp());
        wall[0] += 120_000;
        assertNull(reader.check(KEY, sealed, c), "replayed after it ran out");
        assertEquals(1, c.recordExpired());

        GroupCa other = GroupCa.create("lab", Instant.ofEpochMilli(NOW), Duration.ofDays(30));
        SignedDhtRecords stranger = new SignedDhtRecords(member(other, "stranger", Duration.ofDays(7)), () -> wall[0]);
        assertNull(reader.check(KEY, stranger.seal(KEY, VALUE, 60_000, false), c));
        assertEquals(1, c.recordNotMember());

        SignedDhtRecords shortLived = new SignedDhtRecords(member(ca, "short", Duration.ofDays(1)), () -> wall[0]);
        assertNotNull(reader.check(KEY, shortLived.seal(KEY, VALUE, 60_000, false), c), "valid today (and now cached)");
        wall[0] += Duration.ofDays(2).toMillis();
        assertNull(reader.check(KEY, shortLived.seal(KEY, VALUE, 60_000, false), c), "its certificate expired");
        assertEquals(2, c.recordNotMember());

        byte[] bare = DhtRecord.unsignedEnvelope(record.publisher(), false, false, wall[0], 60_000, new byte[0], VALUE);
        assertNull(reader.check(KEY, bare, c));
        assertEquals(1, c.recordUnsigned());
        assertNull(reader.check(KEY, "not a record".getBytes(StandardCharsets.UTF_8), c));
        assertEquals(1, c.recordMalformed());
    }

    /** What sealing and checking cost on this machine, printed (not asserted: the machine is shared). */
    @Test
    void whatARecordCostsIsPrinted() throws Exception {
        GroupCa ca = GroupCa.create("lab", Instant.ofEpochMilli(NOW), Duration.ofDays(30));
        NodeIdentity writerId = member(ca, "writer", Duration.ofDays(7));
        NodeIdentity readerId = member(ca, "reader", Duration.ofDays(7));
        SignedDhtRecords writer = new SignedDhtRecords(writerId, () -> NOW);
        SignedDhtRecords reader = new SignedDhtRecords(readerId, () -> NOW);
        DhtCounters c = new DhtCounters();
        int n = 300;
        byte[][] sealed = new byte[n][];
        for (int i = 0; i < n; i++) {
            sealed[i] = writer.seal(KEY, VALUE, 60_000, false);
            reader.check(KEY, sealed[i], c);
            new SignedDhtRecords(readerId, () -> NOW).check(KEY, sealed[i], c);
        }
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            sealed[i] = writer.seal(KEY, VALUE, 60_000, false);
        }
        long t1 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            reader.check(KEY, sealed[i], c);
        }
        long t2 = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            new SignedDhtRecords(readerId, () -> NOW).check(KEY, sealed[i], c);
        }
        long t3 = cpu.getCurrentThreadCpuTime();
        System.out.printf("DHT record (%d B around a %d B value): seal %d us, check %d us with the certificate cached, "
                        + "%d us with its chain check (first record of a publisher)%n", sealed[0].length, VALUE.length,
                (t1 - t0) / 1000 / n, (t2 - t1) / 1000 / n, (t3 - t2) / 1000 / n);
    }
}
