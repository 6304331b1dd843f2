package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;

class LearningSwitchTest {
    private static final OFPort HOST_A = OFPort.of(1);
    private static final OFPort HOST_B = OFPort.of(2);
    private static final OFPort OVERLAY = OFPort.of(3);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.of("02:00:00:00:00:0b");
    private static final MacAddress REMOTE = MacAddress.of("02:00:00:00:01:0c");
    private static final MacAddress BROADCAST = MacAddress.BROADCAST;

    private final FakeFlowTable table = new FakeFlowTable(HOST_A, HOST_B, OVERLAY);
    private LearningSwitch logic;

    @BeforeEach
    void connect() {
        logic = new LearningSwitch(new FlowPipeline(OpenFlowHandshakeHandler.OF13, Duration.ofSeconds(300)), "rstap0");
        table.apply(logic.switchReady());
        logic.portsDescribed(List.of(port(HOST_A, "h1"), port(HOST_B, "h2"), port(OVERLAY, "rstap0")));
    }

    @Test
    void unknownSourceGoesToControllerAndUnknownDestinationFloods() {
        FakeFlowTable.Verdict first = table.process(HOST_A, A, B);
        assertTrue(first.toController());
        assertEquals(List.of(HOST_B, OVERLAY), first.outputs(), "flooded to every port but the ingress one");
        assertEquals(3, logic.overlayPortNumber());
    }

    @Test
    void aFrameThatReachesTheControllerLeavesTheSwitchOnce() {
        FakeFlowTable.Verdict first = table.process(HOST_A, A, B);
        assertTrue(first.toController());
        assertEquals(List.of(HOST_B, OVERLAY), first.outputs(), "the tables forward the frame itself");
        List<OFMessage> reply = frame(HOST_A, A, B);
        assertTrue(reply.stream().noneMatch(m -> m instanceof org.projectfloodlight.openflow.protocol.OFPacketOut),
                "the controller only learns from its copy: no second delivery");
    }

    @Test
    void learnedMacsAreForwardedWithoutTheController() {
        frame(HOST_A, A, B);
        frame(HOST_B, B, A);
        FakeFlowTable.Verdict verdict = table.process(HOST_A, A, B);
        assertFalse(verdict.toController());
        assertEquals(List.of(HOST_B), verdict.outputs());
        assertEquals(List.of(HOST_A), table.process(HOST_B, B, A).outputs());
    }

    @Test
    void remoteMacsAreLearnedOnTheOverlayPort() {
        frame(OVERLAY, REMOTE, A);
        frame(HOST_A, A, REMOTE);
        assertEquals(List.of(OVERLAY), table.process(HOST_A, A, REMOTE).outputs());
        assertEquals(List.of(HOST_A), table.process(OVERLAY, REMOTE, A).outputs());
    }

    @Test
    void broadcastFromTheOverlayFloodsLocallyOnly() {
        FakeFlowTable.Verdict first = table.process(OVERLAY, REMOTE, BROADCAST);
        assertEquals(List.of(HOST_A, HOST_B), first.outputs(),
                "the first broadcast goes to every local port and not back into the ring");
        frame(OVERLAY, REMOTE, BROADCAST);
        FakeFlowTable.Verdict next = table.process(OVERLAY, REMOTE, BROADCAST);
        assertFalse(next.toController(), "the remote source is learned");
        assertEquals(List.of(HOST_A, HOST_B), next.outputs(),
                "the tables send later broadcasts to every local port and not back into the ring");
    }

    @Test
    void aMacThatMovesIsForwardedToItsNewPort() {
        frame(HOST_A, A, B);
        frame(HOST_B, B, A);
        assertEquals(List.of(HOST_B), table.process(OVERLAY, A, B).outputs());
        frame(OVERLAY, A, B);
        assertEquals(List.of(OVERLAY), table.process(HOST_B, B, A).outputs());
        assertFalse(table.process(OVERLAY, A, B).toController());
    }

    @Test
    void deletingAPortForgetsItsMacs() {
        frame(OVERLAY, REMOTE, A);
        assertEquals(List.of(OVERLAY), table.process(HOST_A, A, REMOTE).outputs());
        table.portDeleted(OVERLAY);
        table.apply(logic.portStatus(OpenFlowHandshakeHandler.OF13.buildPortStatus()
                .setReason(OFPortReason.DELETE).setDesc(port(OVERLAY, "rstap0")).build()));
        assertEquals(List.of(HOST_B), table.process(HOST_A, A, REMOTE).outputs(), "the frame floods, not to the gone port");
        assertEquals(-1, logic.overlayPortNumber());
        assertEquals(0, logic.learnedMacs());
    }

    @Test
    void multicastSourcesAreDroppedByTheTablesAndIgnoredByTheController() {
        MacAddress forged = MacAddress.of("01:00:5e:00:00:01");
        assertTrue(table.process(HOST_A, forged, B).dropped());
        assertTrue(logic.packetIn(packetIn(HOST_A, forged, B)).isEmpty());
    }

    @Test
    void aTruncatedPacketInIsCountedAndIgnored() {
        OFPacketIn tiny = OpenFlowHandshakeHandler.OF13.buildPacketIn().setBufferId(OFBufferId.NO_BUFFER)
                .setReason(OFPacketInReason.NO_MATCH)
                .setMatch(OpenFlowHandshakeHandler.OF13.buildMatch().setExact(MatchField.IN_PORT, HOST_A).build())
                .setData(new byte[5]).build();
        assertTrue(logic.packetIn(tiny).isEmpty());
        assertEquals(1, logic.shortFrames());
    }

    @Test
    void reconnectStartsFromCleanTables() {
        frame(HOST_A, A, B);
        table.apply(logic.switchReady());
        assertEquals(3, table.size(), "guard, learn miss and forward miss, nothing learned");
        assertTrue(table.process(HOST_A, A, B).toController());
    }

    private List<OFMessage> frame(OFPort in, MacAddress src, MacAddress dst) {
        List<OFMessage> out = logic.packetIn(packetIn(in, src, dst));
        table.apply(out);
        return out;
    }

    static OFPacketIn packetIn(OFPort in, MacAddress src, MacAddress dst) {
        byte[] frame = new byte[60];
        System.arraycopy(dst.getBytes(), 0, frame, 0, 6);
        System.arraycopy(src.getBytes(), 0, frame, 6, 6);
        frame[12] = 0x08;
        return OpenFlowHandshakeHandler.OF13.buildPacketIn().setBufferId(OFBufferId.NO_BUFFER)
                .setReason(OFPacketInReason.NO_MATCH).setTotalLen(frame.length)
                .setMatch(OpenFlowHandshakeHandler.OF13.buildMatch().setExact(MatchField.IN_PORT, in).build())
                .setData(frame).build();
    }

    private static OFPortDesc port(OFPort number, String name) {
        return OpenFlowHandshakeHandler.OF13.buildPortDesc().setPortNo(number).setName(name)
                .setHwAddr(MacAddress.of("02:00:00:00:ff:" + String.format("%02x", number.getPortNumber())))
                .setConfig(Set.of()).setState(Set.of()).build();
    }
}
