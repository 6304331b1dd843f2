package io.ringswitch.controller.forwarding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import io.ringswitch.controller.pipeline.Tables;
import io.ringswitch.controller.storm.StormControl;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/** Where frames go by destination MAC, shown on the fake switch with storm control's meters in place. */
class ForwardingManagerTest {
    private static final OFPort P1 = OFPort.of(1);
    private static final OFPort P2 = OFPort.of(2);
    private static final OFPort OVERLAY = OFPort.of(9);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.of("02:00:00:00:00:0b");
    private static final MacAddress REMOTE = MacAddress.of("02:00:00:00:01:0c");
    private static final U64 MULTICAST_MARK = U64.of(0x5253_00ffL);

    private final FakeSwitchContext context = new FakeSwitchContext();
    private final FakeFlowTable table = new FakeFlowTable(context::nowMillis, P1, P2, OVERLAY);
    private final CapturingDirectory directory = new CapturingDirectory();
    private StormControl storm;
    private ForwardingManager forwarding;

    @BeforeEach
    void connect() {
        context.attach(table).localPort(P1).localPort(P2).overlayPort(OVERLAY);
        storm = new StormControl(context, new SwitchSettings.Storm(200, 100));
        forwarding = new ForwardingManager(context, directory);
        table.apply(Tables.missFlows(FakeSwitchContext.OF13));
        table.apply(storm.switchReady());
        table.apply(forwarding.switchReady());
        for (SwitchPort port : List.of(port(P1), port(P2), new SwitchPort(OVERLAY, "rstap0", true, false))) {
            table.apply(storm.portAdded(port));
            table.apply(forwarding.portAdded(port));
        }
    }

    @Test
    void aLocalHostIsReachedOutOfItsPortOnly() {
        table.apply(forwarding.localHost(B, P2));
        assertEquals(List.of(P2), table.process(P1, Frames.raw(A, B)).ports());
        assertEquals(List.of(), table.process(P2, Frames.raw(A, B)).ports(), "never back out of the ingress port");
    }

    @Test
    void unknownUnicastAndBroadcastFloodToEveryOtherPortIncludingTheOverlay() {
        assertEquals(List.of(P2, OVERLAY), table.process(P1, Frames.raw(A, B)).ports());
        assertEquals(List.of(P2, OVERLAY), table.process(P1, Frames.broadcast(A)).ports());
    }

    @Test
    void aBroadcastFromTheOverlayFloodsToLocalPortsOnly() {
        assertEquals(List.of(P1, P2), table.process(OVERLAY, Frames.broadcast(REMOTE)).ports());
    }

    @Test
    void aRemoteMacTheOverlayLearnedGoesIntoTheOverlayPortWithoutFlooding() {
        directory.listener.remoteMacLearned(REMOTE);
        assertEquals(List.of(OVERLAY), table.process(P1, Frames.raw(A, REMOTE)).ports());
        assertTrue(table.process(OVERLAY, Frames.raw(B, REMOTE)).dropped(), "a frame from the ring to the ring goes nowhere");
        directory.listener.remoteMacForgotten(REMOTE);
        assertEquals(List.of(P2, OVERLAY), table.process(P1, Frames.raw(A, REMOTE)).ports(), "forgotten: floods again");
    }

    @Test
    void aHostThatMovesIsReachedAtItsNewPortAndAGoneHostFloodsAgain() {
        table.apply(forwarding.localHost(B, P2));
        table.apply(forwarding.localHost(B, OVERLAY));
        assertEquals(List.of(OVERLAY), table.process(P1, Frames.raw(A, B)).ports());
        table.apply(forwarding.localHostGone(B));
        assertEquals(List.of(P2, OVERLAY), table.process(P1, Frames.raw(A, B)).ports());
    }

    @Test
    void ipMulticastGoesOnToTheMulticastTableAndNonIpGroupsFlood() {
        Flows marker = new Flows(FakeSwitchContext.OF13, MULTICAST_MARK);
        table.apply(marker.add(Tables.MULTICAST, 0, FakeSwitchContext.OF13.buildMatch().build(), List.of(marker.toController()), null));
        byte[] v4 = Frames.igmpReport(A, IPv4Address.of("10.77.0.10"), IPv4Address.of("239.1.2.3"));
        assertTrue(table.process(P1, v4).toController(MULTICAST_MARK));
        assertEquals(List.of(), table.process(P1, v4).ports(), "no flood: the multicast table decides");
        assertTrue(table.process(P1, Frames.raw(A, MacAddress.of("33:33:00:00:00:fb"))).toController(MULTICAST_MARK));
        assertEquals(List.of(P2, OVERLAY), table.process(P1, Frames.raw(A, MacAddress.of("01:80:c2:00:00:0e"))).ports());
    }

    @Test
    void aHostThatFloodsIsStoppedAtTheRateButTheRingIsNot() {
        context.setNowMillis(10_000);
        for (int i = 0; i < 200; i++) {
            assertEquals(List.of(P2, OVERLAY), table.process(P1, Frames.broadcast(A)).ports(), "broadcast " + (i + 1));
        }
        assertTrue(table.process(P1, Frames.broadcast(A)).dropped(), "the 201st broadcast in one second");
        assertEquals(1, table.meterDrops(Meters.flood(P1)));
        assertEquals(List.of(P1, OVERLAY), table.process(P2, Frames.broadcast(B)).ports(), "another port has its own meter");
        for (int i = 0; i < 500; i++) {
            assertEquals(List.of(P1, P2), table.process(OVERLAY, Frames.broadcast(REMOTE)).ports());
        }
        context.advanceMillis(1000);
        assertEquals(List.of(P2, OVERLAY), table.process(P1, Frames.broadcast(A)).ports(), "a second later it may again");
    }

    @Test
    void aRemovedPortNeitherFloodsNorKeepsItsHosts() {
        table.apply(forwarding.localHost(B, P2));
        table.portDeleted(P2);
        table.apply(forwarding.portRemoved(port(P2)));
        table.apply(storm.portRemoved(port(P2)));
        assertEquals(List.of(P1), table.process(OVERLAY, Frames.raw(REMOTE, B)).ports(),
                "B is unknown again: floods to the local ports that are left");
        assertTrue(table.process(P2, Frames.broadcast(B)).dropped(), "no flood flow for a gone port");
        assertFalse(table.hasMeter(Meters.flood(P2)));
    }

    @Test
    void flowsAreRebuiltFromStateOnReconnect() {
        table.apply(forwarding.localHost(B, P2));
        directory.listener.remoteMacLearned(REMOTE);
        FakeFlowTable fresh = new FakeFlowTable(context::nowMillis, P1, P2, OVERLAY);
        context.attach(fresh);
        fresh.apply(Tables.missFlows(FakeSwitchContext.OF13));
        fresh.apply(storm.switchReady());
        fresh.apply(forwarding.switchReady());
        for (SwitchPort port : List.of(port(P1), port(P2), new SwitchPort(OVERLAY, "rstap0", true, false))) {
            fresh.apply(storm.portAdded(port));
            fresh.apply(forwarding.portAdded(port));
        }
        assertEquals(List.of(P2), fresh.process(P1, Frames.raw(A, B)).ports());
        assertEquals(List.of(OVERLAY), fresh.process(P1, Frames.raw(A, REMOTE)).ports());
        assertEquals(2L, forwarding.counters().get("l2_macs"));
        assertEquals(Cookies.FORWARDING, forwarding.cookie());
    }

    private static SwitchPort port(OFPort number) {
        return new SwitchPort(number, "h" + number.getPortNumber(), false, false);
    }

    /** A directory that only hands its listener to the test. */
    static final class CapturingDirectory implements SiteDirectory {
        Listener listener;

        @Override
        public void publish(InetAddress ip, MacAddress mac) {
        }

        @Override
        public void withdraw(InetAddress ip, MacAddress mac) {
        }

        @Override
        public CompletableFuture<Located> lookup(InetAddress ip) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Located> lookup(MacAddress mac) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void listen(Listener listener) {
            this.listener = listener;
        }
    }
}
