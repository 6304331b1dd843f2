package io.ringswitch.controller.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.IpProtocol;
import org.projectfloodlight.openflow.types.TransportPort;
import org.projectfloodlight.openflow.types.U8;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import java.util.Set;

/** The fake switch itself: it must behave as OVS does for the tests built on it to mean anything. */
class FakeFlowTableTest {
    private static final OFFactory OF = FakeSwitchContext.OF13;
    private static final OFPort P1 = OFPort.of(1);
    private static final OFPort P2 = OFPort.of(2);
    private static final OFPort P3 = OFPort.of(3);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress ROUTER = MacAddress.of("02:77:00:00:00:01");
    private static final IPv4Address A_IP = IPv4Address.of("10.77.0.10");
    private static final IPv4Address ROUTER_IP = IPv4Address.of("10.77.2.1");
    private static final U64 COOKIE = U64.of(0x5253_0042L);

    private final long[] now = {0};
    private final FakeFlowTable table = new FakeFlowTable(() -> now[0], P1, P2, P3);
    private final Flows flows = new Flows(OF, COOKIE);

    @Test
    void anOvnStyleArpResponderTurnsTheRequestIntoTheReplyInPlace() {
        Match match = OF.buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP).setExact(MatchField.ARP_OP, ArpOpcode.REQUEST)
                .setExact(MatchField.ARP_TPA, ROUTER_IP).build();
        List<OFAction> actions = List.of(
                move(0x80000806L, 0x80000606L, 48),
                OF.actions().setField(OF.oxms().ethSrc(ROUTER)),
                OF.actions().setField(OF.oxms().arpOp(ArpOpcode.REPLY)),
                move(0x00012206L, 0x00012406L, 48),
                OF.actions().setField(OF.oxms().arpSha(ROUTER)),
                move(0x00002004L, 0x00002204L, 32),
                OF.actions().setField(OF.oxms().arpSpa(ROUTER_IP)),
                OF.actions().output(OFPort.IN_PORT, 0));
        table.apply(flows.add(TableId.of(0), 100, match, actions, null));

        FakeFlowTable.Verdict verdict = table.process(P3, Frames.arpRequest(A, A_IP, ROUTER_IP));
        byte[] reply = verdict.frameOut(P3);
        assertEquals(List.of(P3), verdict.ports());
        assertEquals(A, Frames.ethDst(reply));
        assertEquals(ROUTER, Frames.ethSrc(reply));
        assertEquals(2, Frames.arpOp(reply));
        assertEquals(ROUTER, Frames.arpSha(reply));
        assertEquals(ROUTER_IP, Frames.arpSpa(reply));
        assertEquals(A, Frames.arpTha(reply));
        assertEquals(A_IP, Frames.arpTpa(reply));
        assertEquals(1, table.packets(COOKIE));
        assertTrue(table.process(P3, Frames.arpRequest(A, A_IP, IPv4Address.of("10.77.2.2"))).dropped(), "a miss drops");
    }

    @Test
    void anOutputToTheIngressPortSendsNothingButFloodSkipsOnlyIt() {
        table.apply(flows.add(TableId.of(0), 1, OF.buildMatch().build(),
                List.of(flows.output(P1), flows.output(OFPort.ALL)), null));
        assertEquals(List.of(P2, P3), table.process(P1, Frames.broadcast(A)).ports());
        assertEquals(List.of(P1, P1, P3), table.process(P2, Frames.broadcast(A)).ports());
    }

    @Test
    void theTwoHundredAndFirstBroadcastInOneSecondIsDropped() {
        table.apply(OF.buildMeterMod().setCommand(org.projectfloodlight.openflow.protocol.OFMeterModCommand.ADD).setMeterId(7).setFlags(Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
                .setMeters(List.of(OF.meterBands().buildDrop().setRate(200).setBurstSize(200).build())).build());
        table.apply(flows.add(TableId.of(0), 1, OF.buildMatch().build(), List.of(flows.output(OFPort.ALL)), null, 7, 0));
        now[0] = 500;
        for (int i = 0; i < 200; i++) {
            assertEquals(List.of(P2, P3), table.process(P1, Frames.broadcast(A)).ports(), "broadcast " + (i + 1));
        }
        assertTrue(table.process(P1, Frames.broadcast(A)).dropped());
        assertEquals(1, table.meterDrops(7));
        now[0] = 1500;
        assertEquals(List.of(P2, P3), table.process(P1, Frames.broadcast(A)).ports(), "the bucket refills");
    }

    @Test
    void aGroupOfTypeAllCopiesToEachBucketButTheIngressPort() {
        table.apply(OF.buildGroupAdd().setGroup(OFGroup.of(5)).setGroupType(OFGroupType.ALL).setBuckets(List.of(
                OF.buildBucket().setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).setActions(List.of(flows.output(P1))).build(),
                OF.buildBucket().setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).setActions(List.of(flows.output(P2))).build()))
                .build());
        table.apply(flows.add(TableId.of(0), 1, OF.buildMatch().build(), List.of(OF.actions().group(OFGroup.of(5))), null));
        assertEquals(List.of(P2), table.process(P1, Frames.broadcast(A)).ports());
        assertEquals(List.of(P1, P2), table.process(P3, Frames.broadcast(A)).ports());
        table.apply(OF.buildGroupDelete().setGroup(OFGroup.ALL).setGroupType(OFGroupType.ALL).build());
        assertEquals(0, table.groupCount());
    }

    @Test
    void deletesReachOnlyTheirCookieAndAStrictDeleteOnlyItsPriority() {
        Flows other = new Flows(OF, U64.of(0x5253_0043L));
        Match toA = OF.buildMatch().setExact(MatchField.ETH_DST, A).build();
        table.apply(List.of(flows.add(TableId.of(2), 10, toA, List.of(flows.output(P1)), null),
                flows.add(TableId.of(2), 20, toA, List.of(flows.output(P1)), null),
                other.add(TableId.of(2), 30, toA, List.of(flows.output(P2)), null)));
        table.apply(flows.deleteStrict(TableId.of(2), 20, toA));
        assertEquals(2, table.flowCount());
        table.apply(flows.delete(TableId.of(2), OF.buildMatch().build()));
        assertEquals(1, table.flowCount(U64.of(0x5253_0043L)));
        assertEquals(1, table.flowCount());
    }

    @Test
    void aPacketOutToTableRunsThePipelineFromTableZero() {
        table.apply(List.of(flows.add(TableId.of(0), 1, OF.buildMatch().build(), List.of(), TableId.of(1)),
                flows.add(TableId.of(1), 1, OF.buildMatch().setExact(MatchField.ETH_DST, A).build(),
                        List.of(flows.output(P2), flows.toController()), null)));
        List<OFMessage> out = new ArrayList<>();
        out.add(OF.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(OFPort.CONTROLLER)
                .setActions(List.of(flows.output(OFPort.TABLE))).setData(Frames.raw(ROUTER, A)).build());
        FakeFlowTable.Verdict verdict = table.apply(out);
        assertEquals(List.of(P2), verdict.ports());
        assertTrue(verdict.toController(COOKIE));
        assertArrayEquals(Frames.raw(ROUTER, A), verdict.frameOut(P2));
    }

    @Test
    void aFlowThatOvsWouldRefuseFailsTheTest() {
        Match noPrerequisite = OF.buildMatch().setExact(MatchField.ARP_TPA, ROUTER_IP).build();
        assertThrows(AssertionError.class, () -> table.apply(flows.add(TableId.of(0), 1, noPrerequisite, List.of(), null)));
    }

    @Test
    void anIdleFlowExpires() {
        table.apply(flows.add(TableId.of(0), 1, OF.buildMatch().build(), List.of(flows.output(P2)), null, 0, 10));
        now[0] = 9_000;
        assertEquals(List.of(P2), table.process(P1, Frames.broadcast(A)).ports());
        now[0] = 18_999;
        assertEquals(1, table.flowCount());
        now[0] = 19_000;
        assertTrue(table.process(P1, Frames.broadcast(A)).dropped());
    }

    @Test
    void theMatchesTheManagersUseFindTheirFieldsInRealFrames() {
        Match dhcp = OF.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IP_PROTO, IpProtocol.UDP)
                .setExact(MatchField.UDP_SRC, TransportPort.of(68)).setExact(MatchField.UDP_DST, TransportPort.of(67)).build();
        Match igmp = OF.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv4).setExact(MatchField.IP_PROTO, IpProtocol.IGMP)
                .setMasked(MatchField.IPV4_DST, IPv4Address.of("224.0.0.0"), IPv4Address.of("240.0.0.0")).build();
        IPv6Address target = IPv6Address.of("fd77::1");
        Match ns = OF.buildMatch().setExact(MatchField.ETH_TYPE, EthType.IPv6).setExact(MatchField.IP_PROTO, IpProtocol.IPv6_ICMP)
                .setExact(MatchField.ICMPV6_TYPE, U8.of((short) 135)).setExact(MatchField.IPV6_ND_TARGET, target).build();
        Match spoof = OF.buildMatch().setExact(MatchField.IN_PORT, P1).setExact(MatchField.ETH_TYPE, EthType.IPv4)
                .setMasked(MatchField.IPV4_SRC, IPv4Address.of("10.77.0.0"), IPv4Address.of("255.255.0.0")).build();
        table.apply(List.of(flows.add(TableId.of(0), 40, dhcp, List.of(flows.output(P2)), null),
                flows.add(TableId.of(0), 30, igmp, List.of(flows.output(P3)), null),
                flows.add(TableId.of(0), 20, ns, List.of(flows.output(OFPort.IN_PORT)), null),
                flows.add(TableId.of(0), 10, spoof, List.of(), null)));
        assertEquals(List.of(P2), table.process(P1, Frames.dhcpClient(A, 1)).ports());
        assertTrue(table.process(P2, Frames.dhcpServer(ROUTER, ROUTER_IP, A, 2)).dropped(), "67 -> 68 is not 68 -> 67");
        assertEquals(List.of(P3), table.process(P1, Frames.igmpReport(A, A_IP, IPv4Address.of("239.1.2.3"))).ports());
        assertEquals(List.of(P1), table.process(P1, Frames.neighborSolicitation(A, IPv6Address.of("fd77::10"), target)).ports());
        assertTrue(table.process(P1, Frames.neighborSolicitation(A, IPv6Address.of("fd77::10"), IPv6Address.of("fd77::2")))
                .dropped());
        assertTrue(table.process(P1, Frames.udp(A, ROUTER, IPv4Address.of("10.77.9.9"), ROUTER_IP, 5, 5, new byte[4]))
                .dropped());
        assertEquals(4, table.flowCount());
    }

    @Test
    void aModifyReplacesTheInstructionsOfTheFlowsItSelects() {
        Match toA = OF.buildMatch().setExact(MatchField.ETH_DST, A).build();
        table.apply(flows.add(TableId.of(0), 10, toA, List.of(flows.output(P1)), null));
        table.apply(OF.buildFlowModifyStrict().setTableId(TableId.of(0)).setPriority(10).setMatch(toA).setCookie(COOKIE)
                .setCookieMask(U64.NO_MASK).setInstructions(List.of(OF.instructions().applyActions(List.of(flows.output(P2)))))
                .build());
        assertEquals(List.of(P2), table.process(P3, Frames.raw(ROUTER, A)).ports());
    }

    private static OFAction move(long src, long dst, int bits) {
        return OF.actions().buildNiciraMove().setSrc(src).setDst(dst).setNBits(bits).setSrcOfs(0).setDstOfs(0).build();
    }
}
