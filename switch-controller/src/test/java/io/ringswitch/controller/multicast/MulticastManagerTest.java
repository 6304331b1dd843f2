package io.ringswitch.controller.multicast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.FloodGroup;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import io.ringswitch.controller.pipeline.Tables;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The multicast manager on a fake bridge: local ports 1 to 3, the overlay port 9. The other
 * managers' part of the pipeline is a stub here: table 0 and PUNT pass on, L2_LOOKUP sends IP
 * multicast MACs to MULTICAST, as the forwarding manager does.
 */
class MulticastManagerTest {
    private static final OFPort P1 = OFPort.of(1);
    private static final OFPort P2 = OFPort.of(2);
    private static final OFPort P3 = OFPort.of(3);
    private static final OFPort OVERLAY = OFPort.of(9);
    private static final MacAddress HOST1 = MacAddress.of("02:77:00:00:01:01");
    private static final MacAddress HOST2 = MacAddress.of("02:77:00:00:01:02");
    private static final IPv4Address GROUP = IPv4Address.of("239.1.2.3");

    private final FakeFlowTable table = new FakeFlowTable(P1, P2, P3, OVERLAY);
    private final FakeSwitchContext context = new FakeSwitchContext().attach(table).localPort(P1).localPort(P2)
            .localPort(P3).overlayPort(OVERLAY);
    private final List<String> directoryCalls = new ArrayList<>();
    private boolean othersHaveMembers = true;
    /** When set, the directory's answers wait here until the test completes them. */
    private List<CompletableFuture<Boolean>> pending;
    private final GroupDirectory directory = new GroupDirectory() {
        @Override
        public void join(InetAddress group) {
            directoryCalls.add("join " + group.getHostAddress());
        }

        @Override
        public void leave(InetAddress group) {
            directoryCalls.add("leave " + group.getHostAddress());
        }

        @Override
        public CompletableFuture<Boolean> othersHaveMembers(InetAddress group) {
            if (pending != null) {
                CompletableFuture<Boolean> answer = new CompletableFuture<>();
                pending.add(answer);
                return answer;
            }
            return CompletableFuture.completedFuture(othersHaveMembers);
        }
    };
    private MulticastManager manager;

    @BeforeEach
    void bridge() {
        context.setNowMillis(1_000);
        manager = new MulticastManager(context, SwitchSettings.defaults(), directory);
        table.apply(pipelineStub());
        table.apply(manager.switchReady());
    }

    private List<OFMessage> pipelineStub() {
        Flows f = new Flows(FakeSwitchContext.OF13, Cookies.PIPELINE);
        var of = FakeSwitchContext.OF13;
        List<OFMessage> out = new ArrayList<>();
        out.add(f.add(Tables.PORT_SECURITY, 0, of.buildMatch().build(), List.of(), Tables.PUNT));
        out.add(f.add(Tables.PUNT, 0, of.buildMatch().build(), List.of(), Tables.L2_LOOKUP));
        out.add(FloodGroup.add(of, Set.of(P1, P2, P3), OVERLAY));
        out.add(f.add(Tables.L2_LOOKUP, 100, of.buildMatch().setMasked(MatchField.ETH_DST,
                Masked.of(MacAddress.of("01:00:5e:00:00:00"), MacAddress.of("ff:ff:ff:80:00:00"))).build(), List.of(), Tables.MULTICAST));
        out.add(f.add(Tables.L2_LOOKUP, 100, of.buildMatch().setMasked(MatchField.ETH_DST,
                Masked.of(MacAddress.of("33:33:00:00:00:00"), MacAddress.of("ff:ff:00:00:00:00"))).build(), List.of(), Tables.MULTICAST));
        for (OFPort p : List.of(P1, P2, P3)) {
            out.add(of.buildMeterMod().setCommand(OFMeterModCommand.ADD).setMeterId(Meters.packetIn(p))
                    .setFlags(Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
                    .setMeters(List.of(of.meterBands().buildDrop().setRate(100).setBurstSize(100).build())).build());
        }
        return out;
    }

    /**
     * A frame enters {@code port}; packet-ins under the multicast cookie go to the manager and what
     * it answers goes to the switch. The ports the frame and the answers left by.
     */
    private List<OFPort> send(OFPort port, byte[] frame) {
        FakeFlowTable.Verdict v = table.process(port, frame);
        List<OFPort> out = new ArrayList<>(v.ports());
        for (FakeFlowTable.PacketIn in : v.packetIns()) {
            assertEquals(Cookies.MULTICAST, in.cookie(), "only membership reaches the controller here");
            out.addAll(table.apply(manager.packetIn(in.inPort(), in.frame())).ports());
        }
        return out;
    }

    /** Ticks once a second for {@code millis}; the ports the manager's packet-outs left by. */
    private List<OFPort> tick(long millis) {
        List<OFPort> out = new ArrayList<>();
        for (long t = 0; t < millis; t += 1_000) {
            context.advanceMillis(1_000);
            out.addAll(table.apply(manager.tick()).ports());
        }
        return out;
    }

    private static byte[] data(String group) {
        return MembershipFrames.bytes(group.contains(":") ? MembershipFrames.udp6(group) : MembershipFrames.udp4(group));
    }

    private void joinOnPort1() {
        assertEquals(List.of(), send(P1, Frames.igmpReport(HOST1, IPv4Address.of("10.77.1.1"), GROUP)),
                "a report reaches the controller and no port");
    }

    @Test
    void aFrameFromTheOverlayReachesTheMemberPortOnly() {
        joinOnPort1();
        assertEquals(List.of(P1), send(OVERLAY, data("239.1.2.3")));
        assertEquals(List.of("join 239.1.2.3"), directoryCalls);
        assertEquals(1, manager.multicastCounters().groups());
        assertEquals(1, manager.multicastCounters().reports());
        assertEquals(1, table.packets(Tables.MULTICAST, MulticastManager.GROUP_FLOW_PRIORITY));
    }

    @Test
    void aLocalSenderReachesMembersAndTheOverlayWhileOtherSitesHaveMembers() {
        joinOnPort1();
        assertEquals(List.of(P1, OVERLAY), send(P3, data("239.1.2.3")));
        othersHaveMembers = false;
        tick(GroupInstaller.ASK_MILLIS);
        assertEquals(List.of(P1, OVERLAY), send(P3, data("239.1.2.3")),
                "one answer of nobody elsewhere is not enough: a site that just joined may not have published yet");
        tick(GroupInstaller.ASK_PRUNED_MILLIS);
        tick(GroupInstaller.ASK_MILLIS);
        assertEquals(List.of(P1), send(P3, data("239.1.2.3")), "nobody elsewhere any more");
        othersHaveMembers = true;
        tick(GroupInstaller.ASK_PRUNED_MILLIS);
        assertEquals(List.of(P1, OVERLAY), send(P3, data("239.1.2.3")),
                "a group kept off the overlay is asked about every second: a join elsewhere is seen soon");
        assertEquals(List.of(OVERLAY), send(P3, data("239.9.9.9")),
                "a group without members here goes to the overlay only: a sender needs not be a member");
        assertEquals(List.of(), send(OVERLAY, data("239.9.9.9")), "and from the overlay, nowhere");
    }

    /**
     * The directory answers later, on its own thread: a new group goes to the overlay port until it
     * has answered "nobody elsewhere" twice, and the answers arrive by late GROUP_MODs.
     */
    @Test
    void aLateAnswerAddsTheOverlayBucketAndAStaleOneChangesNothing() throws Exception {
        pending = new ArrayList<>();
        joinOnPort1();
        assertEquals(List.of(P1, OVERLAY), send(P3, data("239.1.2.3")), "no answer yet: the overlay may have members");
        Thread overlay = new Thread(() -> pending.get(0).complete(false));
        overlay.start();
        overlay.join();
        tick(GroupInstaller.ASK_MILLIS);
        Thread again = new Thread(() -> pending.get(1).complete(false));
        again.start();
        again.join();
        assertEquals(List.of(P1), send(P3, data("239.1.2.3")), "twice nobody elsewhere: local members only");
        tick(GroupInstaller.ASK_PRUNED_MILLIS);
        Thread joined = new Thread(() -> pending.get(2).complete(true));
        joined.start();
        joined.join();
        assertEquals(List.of(P1, OVERLAY), send(P3, data("239.1.2.3")));

        pending.clear();
        IPv4Address other = IPv4Address.of("239.4.4.4");
        send(P1, Frames.igmpReport(HOST1, IPv4Address.of("10.77.1.1"), other));
        send(P1, Frames.igmp(HOST1, IPv4Address.of("10.77.1.1"), IPv4Address.of("224.0.0.2"), 0x17, other));
        tick(3_000);
        send(P2, Frames.igmpReport(HOST2, IPv4Address.of("10.77.1.2"), other));
        int sent = context.sent().size();
        pending.get(0).complete(true);
        assertEquals(sent, context.sent().size(), "the answer about the group that went changes nothing");
        assertEquals(List.of(P2, OVERLAY), send(P3, data("239.4.4.4")));
        pending.get(1).complete(false);
        tick(GroupInstaller.ASK_MILLIS);
        pending.forEach(answer -> answer.complete(false));
        assertEquals(List.of(P2), send(P3, data("239.4.4.4")), "twice nobody elsewhere");
    }

    @Test
    void afterALeaveTheGroupSpecificQueriesGoUnansweredAndNothingReachesThePort() {
        joinOnPort1();
        byte[] leave = Frames.igmp(HOST1, IPv4Address.of("10.77.1.1"), IPv4Address.of("224.0.0.2"), 0x17, GROUP);
        assertEquals(List.of(P1), send(P1, leave), "a group-specific query out of the port that left, and no other");
        context.advanceMillis(1_000);
        FakeFlowTable.Verdict second = table.apply(manager.tick());
        assertEquals(List.of(P1), second.outputs().stream()
                .filter(o -> IPv4Address.of(java.util.Arrays.copyOfRange(o.frame(), 30, 34)).equals(GROUP))
                .map(FakeFlowTable.Output::port).toList(), "the second of the last member query count");
        tick(2_000);
        assertEquals(List.of(), send(OVERLAY, data("239.1.2.3")));
        assertEquals(List.of(OVERLAY), send(P3, data("239.1.2.3")));
        assertEquals(List.of("join 239.1.2.3", "leave 239.1.2.3"), directoryCalls);
        assertEquals(0, manager.multicastCounters().groups());
        assertEquals(1, table.groupCount(), "only the flood group of the stub is left");
    }

    @Test
    void aMemberThatAnswersTheQueryStays() {
        joinOnPort1();
        send(P1, Frames.igmp(HOST1, IPv4Address.of("10.77.1.1"), IPv4Address.of("224.0.0.2"), 0x17, GROUP));
        joinOnPort1();
        tick(5_000);
        assertEquals(List.of(P1), send(OVERLAY, data("239.1.2.3")));
    }

    /** An attacker on port 2 sends leaves for a group port 1 wants: port 1 keeps getting it. */
    @Test
    void aLeaveFromAnotherPortCannotCutAMemberOff() {
        joinOnPort1();
        byte[] leave = Frames.igmp(HOST2, IPv4Address.of("10.77.1.2"), IPv4Address.of("224.0.0.2"), 0x17, GROUP);
        assertEquals(List.of(), send(P2, leave), "port 2 is no member: no query, nothing cut");
        tick(5_000);
        assertEquals(List.of(P1), send(OVERLAY, data("239.1.2.3")));
    }

    @Test
    void linkLocalGroupsReachEveryPort() {
        assertEquals(List.of(P1, P3, OVERLAY), send(P2, data("224.0.0.251")));
        assertEquals(List.of(P1, P2, P3), send(OVERLAY, data("ff02::fb")));
        assertEquals(List.of(P1, P2, OVERLAY), send(P3, data("ff01::1")));
    }

    /** Membership never crosses the ring: a report from the overlay port joins nothing and goes nowhere. */
    @Test
    void aReportFromTheOverlayPortIsDropped() {
        assertEquals(List.of(), send(OVERLAY, Frames.igmpReport(HOST1, IPv4Address.of("10.77.2.1"), GROUP)));
        assertEquals(List.of(), send(OVERLAY, MembershipFrames.bytes(MembershipFrames.mldV1(131, "fe80::1", "ff15::1"))));
        assertEquals(0, manager.multicastCounters().groups());
        assertEquals(List.of(OVERLAY), send(P3, data("239.1.2.3")), "no local member came of it");
        assertEquals(List.of(), directoryCalls);
    }

    @Test
    void aMalformedReportIsCountedAndGoesNowhere() {
        byte[] bad = Frames.igmpReport(HOST1, IPv4Address.of("10.77.1.1"), GROUP);
        bad[14 + 24 + 7] ^= 0x55; // the group's last byte: the IGMP checksum no longer holds
        assertEquals(List.of(), send(P1, bad));
        assertEquals(1, manager.multicastCounters().malformed());
        assertEquals(0, manager.multicastCounters().groups());
    }

    @Test
    void mldReportsMakeIpv6GroupsToo() {
        byte[] report = MembershipFrames.bytes(MembershipFrames.mldV2("fe80::2", new int[] {4}, new String[] {"ff15::1"},
                new int[] {0}));
        assertEquals(List.of(), send(P2, report));
        assertEquals(List.of(P2), send(OVERLAY, data("ff15::1")));
        assertEquals(List.of(P2, OVERLAY), send(P1, data("ff15::1")));
    }

    @Test
    void afterSwitchReadyTheSameGroupsComeBack() {
        joinOnPort1();
        send(P2, MembershipFrames.bytes(MembershipFrames.mldV1(131, "fe80::2", "ff15::1")));
        FakeFlowTable fresh = new FakeFlowTable(P1, P2, P3, OVERLAY);
        fresh.apply(pipelineStub());
        fresh.apply(manager.switchReady());
        assertEquals(List.of(P1), fresh.process(OVERLAY, data("239.1.2.3")).ports());
        assertEquals(List.of(P2, OVERLAY), fresh.process(P3, data("ff15::1")).ports());
        assertTrue(fresh.process(P1, Frames.igmpReport(HOST1, IPv4Address.of("10.77.1.1"), GROUP)).toController(Cookies.MULTICAST));
    }

    @Test
    void theQuerierQueriesEveryLocalPortAndStandsDownForALowerRouter() {
        List<OFPort> first = tick(1_000);
        assertEquals(List.of(P1, P2, P3, P1, P2, P3), first, "an IGMP and an MLD general query out of each local port");
        byte[] routerQuery = Frames.igmp(MacAddress.of("02:77:00:00:00:fe"), IPv4Address.of("10.77.1.254"),
                IPv4Address.of("224.0.0.1"), 0x11, IPv4Address.of("0.0.0.0"));
        assertEquals(List.of(P1, P3), send(P2, routerQuery), "the router's query reaches the other hosts");
        assertFalse(manager.multicastCounters().querier());
        List<OFPort> later = tick(125_000);
        assertFalse(later.isEmpty(), "MLD still queried");
        assertEquals(1, manager.multicastCounters().queriesHeard());
    }

    @Test
    void aRemovedPortIsDroppedFromEveryGroup() {
        joinOnPort1();
        send(P2, Frames.igmpReport(HOST2, IPv4Address.of("10.77.1.2"), GROUP));
        assertEquals(List.of(P1, P2), send(OVERLAY, data("239.1.2.3")));
        context.removeLocalPort(P1);
        table.apply(manager.portRemoved(new SwitchPort(P1, "veth1", false, false)));
        assertEquals(List.of(P2), send(OVERLAY, data("239.1.2.3")));
        assertEquals(1, manager.multicastCounters().memberPorts());
    }

    @Test
    void groupFramesNeverLeaveByTheirIngressPort() {
        joinOnPort1();
        assertEquals(List.of(OVERLAY), send(P1, data("239.1.2.3")), "a member sending reaches the other sites only");
    }
}
