package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.hosts.PortSecurity;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.Tables;
import io.ringswitch.controller.storm.StormControl;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowRemovedReason;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/** The dispatcher with the real managers, against the fake switch: what a bridge does once the controller is up. */
class SwitchPipelineTest {
    private static final OFFactory OF = FakeSwitchContext.OF13;
    private static final OFPort HOST_A = OFPort.of(1);
    private static final OFPort ROUTER = OFPort.of(2);
    private static final OFPort OVERLAY = OFPort.of(3);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress REMOTE = MacAddress.of("02:00:00:00:01:0c");

    private final SwitchSettings settings = new SwitchSettings(MacAddress.of("02:52:00:00:00:01"), 1400, null,
            SwitchSettings.Multicast.defaults(), SwitchSettings.Storm.defaults(), Set.of("router0"), 1);
    private final ControllerConfig config = ControllerConfig.of(new InetSocketAddress("127.0.0.1", 0), "rstap0", settings);
    private SwitchUnderTest bridge;
    private FakeFlowTable table;

    private SwitchPipeline pipeline(Function<SwitchContext, List<SwitchManager>> managers) {
        bridge = new SwitchUnderTest("rstap0", settings.trustedPorts(), managers, HOST_A, ROUTER, OVERLAY);
        table = bridge.table;
        return bridge.pipeline;
    }

    private SwitchPipeline built() {
        return pipeline(context -> SwitchManagers.build(context, config, OverlayServices.none()));
    }

    private SwitchPipeline connected() {
        SwitchPipeline pipeline = table == null ? built() : bridge.pipeline;
        bridge.connect(port(HOST_A, "h1"), port(ROUTER, "router0"), port(OVERLAY, "rstap0"), port(OFPort.LOCAL, "br0"));
        return pipeline;
    }

    @Test
    void aReconnectEmptiesWhatAnEarlierControllerLeft() {
        built();
        Flows stranger = new Flows(OF, U64.of(0x1234));
        table.apply(List.of(stranger.add(TableId.of(0), 500, OF.buildMatch().build(), List.of(stranger.output(OVERLAY)), null),
                OF.buildGroupAdd().setGroup(OFGroup.of(77)).setGroupType(OFGroupType.ALL).setBuckets(List.of()).build(),
                OF.buildMeterMod().setCommand(OFMeterModCommand.ADD).setMeterId(77).setFlags(Set.of(OFMeterFlags.PKTPS))
                        .setMeters(List.of(OF.meterBands().buildDrop().setRate(1).build())).build()));
        SwitchPipeline pipeline = connected();
        assertEquals(0, table.flowCount(U64.of(0x1234)));
        assertEquals(1, table.groupCount(), "only the flood group");
        assertFalse(table.hasMeter(77));
        bridge.bind(HOST_A, A);
        assertEquals(List.of(ROUTER, OVERLAY), table.process(HOST_A, Frames.broadcast(A)).ports());
    }

    @Test
    void portsAreListedWithTheOverlayByNameAndTrustedPortsByConfig() {
        SwitchPipeline pipeline = connected();
        assertEquals(3, pipeline.overlayPortNumber());
        assertEquals(Set.of(HOST_A, ROUTER), pipeline.localPorts(), "neither the overlay nor the bridge's own port");
        assertTrue(pipeline.trusted(ROUTER));
        assertFalse(pipeline.trusted(HOST_A));
        assertTrue(table.hasMeter(Meters.flood(HOST_A)) && table.hasMeter(Meters.flood(ROUTER)));
        assertFalse(table.hasMeter(Meters.flood(OVERLAY)));
    }

    @Test
    void aBroadcastFromTheRingReachesLocalPortsOnlyAndLocalBroadcastsReachTheRing() {
        connected();
        assertEquals(List.of(HOST_A, ROUTER), table.process(OVERLAY, Frames.broadcast(REMOTE)).ports());
        assertEquals(List.of(HOST_A, OVERLAY), table.process(ROUTER, Frames.broadcast(A)).ports());
    }

    @Test
    void theOverlayPortLeavingStopsFloodsToItAndTellsTheManagers() {
        SwitchPipeline pipeline = connected();
        bridge.bind(HOST_A, A);
        table.portDeleted(OVERLAY);
        table.apply(pipeline.portStatus(OF.buildPortStatus().setReason(OFPortReason.DELETE).setDesc(port(OVERLAY, "rstap0")).build()));
        assertEquals(-1, pipeline.overlayPortNumber());
        assertEquals(List.of(ROUTER), table.process(HOST_A, Frames.broadcast(A)).ports());
        table.portAdded(OFPort.of(4));
        table.apply(pipeline.portStatus(OF.buildPortStatus().setReason(OFPortReason.ADD).setDesc(port(OFPort.of(4), "rstap0")).build()));
        assertEquals(4, pipeline.overlayPortNumber());
        assertEquals(List.of(ROUTER, OFPort.of(4)), table.process(HOST_A, Frames.broadcast(A)).ports());
    }

    @Test
    void aPacketInReachesTheManagerWhoseCookieSentItAndNoOther() {
        List<String> heard = new ArrayList<>();
        SwitchPipeline pipeline = pipeline(context -> List.of(recorder(Cookies.ARP_ND, heard), recorder(Cookies.DHCP, heard)));
        pipeline.packetIn(packetIn(Cookies.sub(Cookies.DHCP, 3), Frames.dhcpClient(A, 1)));
        pipeline.packetIn(packetIn(Cookies.ARP_ND, Frames.broadcast(A)));
        pipeline.packetIn(packetIn(U64.of(0x9999), Frames.broadcast(A)));
        pipeline.packetIn(packetIn(Cookies.ARP_ND, new byte[5]));
        assertEquals(List.of(Cookies.DHCP + " from 1", Cookies.ARP_ND + " from 1"), heard);
        assertEquals(1, pipeline.unknownCookies());
        assertEquals(1, pipeline.shortFrames());
    }

    @Test
    void theStatisticsPollNamesStormDropsAndCountsTheSwitchsFlowsAndMeters() {
        SwitchPipeline pipeline = connected();
        bridge.bind(HOST_A, A);
        bridge.advanceMillis(5_000);
        for (int i = 0; i < 205; i++) {
            table.process(HOST_A, Frames.broadcast(A));
        }
        List<OFMessage> polls = new ArrayList<>();
        for (int second = 0; second < SwitchPipeline.STATS_EVERY_TICKS; second++) {
            polls.addAll(pipeline.tick());
        }
        table.answer(polls).forEach(pipeline::statsReply);
        assertEquals(5L, pipeline.stats().counters(pipeline.managers()).get(StormControl.STORM_DROPPED));
        assertEquals(table.flowCount(), pipeline.stats().flows());
        assertEquals(4, pipeline.stats().meters(), "two per local port");
        assertEquals(1, pipeline.stats().groups(), "the flood group");
    }

    @Test
    void aDropFlowThatTimesOutKeepsItsPacketsCounted() {
        SwitchPipeline pipeline = connected();
        bridge.bind(HOST_A, A);
        // A refused address's drop flow dropped 7 frames, then its hard timeout removed it.
        pipeline.stats().flowRemoved(OF.buildFlowRemoved().setCookie(PortSecurity.DROP_COOKIE).setPacketCount(U64.of(7))
                .setByteCount(U64.of(420)).setTableId(Tables.PORT_SECURITY).setReason(OFFlowRemovedReason.HARD_TIMEOUT)
                .setMatch(OF.buildMatch().build()).build());
        assertEquals(7L, pipeline.stats().counters(pipeline.managers()).get("spoof_dropped"));
        List<OFMessage> polls = new ArrayList<>();
        for (int second = 0; second < SwitchPipeline.STATS_EVERY_TICKS; second++) {
            polls.addAll(pipeline.tick());
        }
        table.answer(polls).forEach(pipeline::statsReply);
        assertEquals(7L, pipeline.stats().counters(pipeline.managers()).get("spoof_dropped"),
                "a poll without the flow does not take its packets back");
    }

    private static SwitchManager recorder(U64 cookie, List<String> heard) {
        return new SwitchManager() {
            @Override
            public U64 cookie() {
                return cookie;
            }

            @Override
            public List<OFMessage> switchReady() {
                return List.of();
            }

            @Override
            public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
                heard.add(cookie + " from " + inPort);
                return List.of();
            }
        };
    }

    @Test
    void aHostsMulticastToAGroupWithNoLocalMembersEntersTheOverlayOnce() {
        SwitchPipeline pipeline = connected();
        IPv4Address ip = IPv4Address.of("10.77.1.1");
        bridge.feed(HOST_A, Frames.arpRequest(A, ip, IPv4Address.of("10.77.1.2")));
        bridge.feed(HOST_A, Frames.arpRequest(A, ip, IPv4Address.of("10.77.1.2")));
        IPv4Address group = IPv4Address.of("239.1.1.1");
        FakeFlowTable.Verdict v = table.process(HOST_A, Frames.udp(A, Frames.multicastMac(group), ip, group, 5001, 5001,
                new byte[100]));
        assertEquals(List.of(OVERLAY), v.ports(), "once into the overlay, nowhere else: " + v);
    }

    private static OFPacketIn packetIn(U64 cookie, byte[] frame) {
        return SwitchUnderTest.packetIn(cookie, Tables.PUNT, HOST_A, frame);
    }

    private static OFPortDesc port(OFPort number, String name) {
        return SwitchUnderTest.port(number, name);
    }
}
