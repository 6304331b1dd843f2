package io.ringswitch.controller.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import io.ringswitch.controller.pipeline.Tables;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/** Meters per local port: they exist while the port does, limit at their rate, and name their drops. */
class StormControlTest {
    private static final OFPort P1 = OFPort.of(1);
    private static final OFPort OVERLAY = OFPort.of(9);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final U64 PUNT = U64.of(0x5253_0042L);

    private final FakeSwitchContext context = new FakeSwitchContext();
    private final FakeFlowTable table = new FakeFlowTable(context::nowMillis, P1, OVERLAY);
    private final StormControl storm = new StormControl(context, new SwitchSettings.Storm(200, 100));

    @Test
    void aLocalPortGetsAFloodAndAPacketInMeterAndTheOverlayPortNone() {
        table.apply(storm.switchReady());
        table.apply(storm.portAdded(new SwitchPort(P1, "h1", false, false)));
        table.apply(storm.portAdded(new SwitchPort(OVERLAY, "rstap0", true, false)));
        assertEquals(2, table.meterCount());
        assertTrue(table.hasMeter(Meters.flood(P1)));
        assertTrue(table.hasMeter(Meters.packetIn(P1)));
        assertEquals(List.of(), storm.portAdded(new SwitchPort(P1, "h1", false, false)), "a port listed twice: no second add");
        table.apply(storm.portRemoved(new SwitchPort(P1, "h1", false, false)));
        assertEquals(0, table.meterCount());
    }

    @Test
    void aHostThatFloodsTheControllerIsCutAtThePacketInRateAndTheDropsAreNamed() {
        table.apply(Tables.missFlows(FakeSwitchContext.OF13));
        table.apply(storm.portAdded(new SwitchPort(P1, "h1", false, false)));
        Flows punt = new Flows(FakeSwitchContext.OF13, PUNT);
        table.apply(punt.add(Tables.PUNT, 1, FakeSwitchContext.OF13.buildMatch().setExact(MatchField.IN_PORT, P1).build(),
                List.of(punt.toController()), null, Meters.packetIn(P1), 0));
        int reached = 0;
        for (int i = 0; i < 150; i++) {
            if (table.process(P1, Frames.broadcast(A)).toController(PUNT)) {
                reached++;
            }
        }
        assertEquals(100, reached, "the packet-in meter lets 100 a second through");
        assertEquals(50, table.meterDrops(Meters.packetIn(P1)));
        assertEquals(Set.of(Meters.packetIn(P1)), storm.meterDropCounters().get(StormControl.PACKET_IN_DROPPED));
        assertEquals(Set.of(Meters.flood(P1)), storm.meterDropCounters().get(StormControl.STORM_DROPPED));
        assertFalse(storm.meterDropCounters().get(StormControl.STORM_DROPPED).contains(Meters.flood(OVERLAY)));
    }
}
