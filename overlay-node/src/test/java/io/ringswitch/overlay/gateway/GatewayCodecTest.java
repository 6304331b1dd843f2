package io.ringswitch.overlay.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.dht.DhtValue;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateway records and probes: round trips, and every malformed value refused (and counted). */
class GatewayCodecTest {
    private final GatewayRecord record = new GatewayRecord("site-1", RingAddress.ofName("site-1"), 0x0247_0102_0304L, 0x0a4dfe01,
            true, 12345, 1_700_000_000_000L, false);

    @Test
    void recordsAndProbesRoundTrip() throws Exception {
        assertEquals(record, GatewayRecordCodec.decode(GatewayRecordCodec.encode(record)));
        GatewayProbe.Reply reply = new GatewayProbe.Reply(-5, record.mac(), record.ipv4(), true, 99);
        assertEquals(reply, GatewayProbeCodec.decode(GatewayProbeCodec.encode(reply)));
        assertEquals(new GatewayProbe.Request(42), GatewayProbeCodec.decode(GatewayProbeCodec.encode(new GatewayProbe.Request(42))));
    }

    @Test
    void everyTruncationAndBadFieldIsRefused() {
        byte[] good = GatewayRecordCodec.encode(record);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            assertThrows(GatewayRecordCodec.MalformedException.class, () -> GatewayRecordCodec.decode(cut), "cut at " + n);
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertThrows(GatewayRecordCodec.MalformedException.class, () -> GatewayRecordCodec.decode(longer));
        byte[] multicastMac = good.clone();
        multicastMac[2 + RingAddress.BYTES] |= 1;
        assertThrows(GatewayRecordCodec.MalformedException.class, () -> GatewayRecordCodec.decode(multicastMac));
        byte[] badName = good.clone();
        badName[badName.length - 1] = ' ';
        assertThrows(GatewayRecordCodec.MalformedException.class, () -> GatewayRecordCodec.decode(badName));
        byte[] probe = GatewayProbeCodec.encode(new GatewayProbe.Reply(1, 2, 3, false, 4));
        assertNull(GatewayProbeCodec.decode(Arrays.copyOf(probe, probe.length - 1)));
        assertNull(GatewayProbeCodec.decode(new byte[] {9, 0, 0, 0, 0, 0, 0, 0, 0}));
    }

    @Test
    void theNewestValueOfEachGatewayCountsAndAWithdrawalRemovesIt() {
        DhtGatewayRecords records = new DhtGatewayRecords(null, "lab");
        GatewayRecord newer = new GatewayRecord("site-1", record.address(), record.mac(), record.ipv4(), true, 1, record.publishedAt() + 1,
                false);
        GatewayRecord other = new GatewayRecord("site-2", RingAddress.ofName("site-2"), 0x0247_0000_0009L, 0x0a4dfe02, false, 0, 5,
                false);
        List<GatewayRecord> live = records.current(result(GatewayRecordCodec.encode(record), GatewayRecordCodec.encode(newer),
                GatewayRecordCodec.encode(other), new byte[] {1, 2, 3}));
        assertEquals(2, live.size());
        assertEquals(1, live.stream().filter(r -> r.site().equals("site-1")).findFirst().orElseThrow().load(), "the newest");
        assertEquals(1, records.malformed(), "the stray value was refused and counted");
        List<GatewayRecord> after = records.current(result(GatewayRecordCodec.encode(newer),
                GatewayRecordCodec.encode(newer.withdrawnAt(newer.publishedAt() + 1)), GatewayRecordCodec.encode(other)));
        assertEquals(List.of("site-2"), after.stream().map(GatewayRecord::site).toList());
        assertNull(records.current(new DhtResult(DhtStatus.TIMEOUT, List.of(), -1, -1)), "a DHT that cannot tell: keep what is known");
    }

    private static DhtResult result(byte[]... values) {
        return new DhtResult(DhtStatus.OK, Arrays.stream(values).map(v -> new DhtValue(v, 1000)).toList(), 1, 1);
    }
}
