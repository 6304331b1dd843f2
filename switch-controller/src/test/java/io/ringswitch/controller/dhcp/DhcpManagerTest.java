package io.ringswitch.controller.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.HostBindings;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import io.ringswitch.controller.pipeline.Tables;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The DHCP manager on a fake Open vSwitch: where client and server messages go, what the server's
 * answers look like on the wire, and which hosts its leases bind.
 */
class DhcpManagerTest {
    private static final OFPort P1 = OFPort.of(1);
    private static final OFPort P2 = OFPort.of(2);
    private static final OFPort TRUSTED = OFPort.of(3);
    private static final OFPort OVERLAY = OFPort.of(9);
    private static final MacAddress SITE_MAC = MacAddress.of("02:52:01:02:03:04");
    private static final MacAddress HOST_A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress HOST_B = MacAddress.of("02:00:00:00:00:0b");
    private static final IPv4Address SERVER = IPv4Address.of(DhcpServerTest.SERVER);

    /** The hosts manager as the DHCP manager sees it: records bindings and answers with one marker flow each. */
    static final class RecordingHosts implements HostBindings {
        final List<String> calls = new ArrayList<>();

        @Override
        public List<OFMessage> leased(OFPort port, MacAddress mac, InetAddress ip) {
            calls.add("leased " + port + " " + mac + " " + ip.getHostAddress());
            return List.of();
        }

        @Override
        public List<OFMessage> leaseEnded(OFPort port, MacAddress mac, InetAddress ip) {
            calls.add("ended " + port + " " + mac + " " + ip.getHostAddress());
            return List.of();
        }

        @Override
        public OFPort portOf(MacAddress mac) {
            return null;
        }

        @Override
        public MacAddress macOf(OFPort port) {
            return null;
        }
    }

    private final FakeFlowTable table = new FakeFlowTable(P1, P2, TRUSTED, OVERLAY);
    private final FakeSwitchContext ctx = new FakeSwitchContext().overlayPort(OVERLAY).localPort(P1).localPort(P2)
            .localPort(TRUSTED).trust(TRUSTED);
    private final DhcpServerTest.FakePool pool = new DhcpServerTest.FakePool();
    private final RecordingHosts hosts = new RecordingHosts();

    private DhcpManager manager(boolean dhcp) {
        SwitchSettings d = SwitchSettings.defaults();
        SwitchSettings settings = new SwitchSettings(SITE_MAC, 1360,
                dhcp ? DhcpServerTest.config("10.77.200.1", "10.77.200.254") : null, d.multicast(), d.storm(),
                Set.of("trusted"), 1);
        DhcpManager manager = new DhcpManager(ctx, settings, pool, hosts);
        table.apply(pipeline());
        table.apply(manager.switchReady());
        return manager;
    }

    /** What the other managers would install: table 0 and PUNT go on, L2_LOOKUP floods, packet-in meters exist. */
    private static List<OFMessage> pipeline() {
        Flows f = new Flows(FakeSwitchContext.OF13, Cookies.PIPELINE);
        List<OFMessage> out = new ArrayList<>(List.of(
                f.add(Tables.PORT_SECURITY, 0, FakeSwitchContext.OF13.buildMatch().build(), List.of(), Tables.PUNT),
                f.add(Tables.PUNT, 0, FakeSwitchContext.OF13.buildMatch().build(), List.of(), Tables.L2_LOOKUP),
                f.add(Tables.L2_LOOKUP, 0, FakeSwitchContext.OF13.buildMatch().build(),
                        List.of(f.output(OFPort.FLOOD)), null)));
        for (OFPort p : List.of(P1, P2, TRUSTED, OFPort.of(4))) {
            out.add(FakeSwitchContext.OF13.buildMeterMod().setCommand(OFMeterModCommand.ADD).setMeterId(Meters.packetIn(p))
                    .setFlags(Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
                    .setMeters(List.of(FakeSwitchContext.OF13.meterBands().buildDrop().setRate(100).setBurstSize(100).build()))
                    .build());
        }
        return out;
    }

    /** A frame enters {@code port}; it must reach the controller under DHCP's cookie and no port; the manager's answer runs on the switch. */
    private FakeFlowTable.Verdict ask(DhcpManager manager, OFPort port, byte[] frame) {
        FakeFlowTable.Verdict in = table.process(port, frame);
        assertTrue(in.toController(Cookies.DHCP), "to the controller");
        assertEquals(List.of(), in.ports(), "and to no port");
        return table.apply(manager.packetIn(port, in.packetIns().get(0).frame()));
    }

    private static byte[] client(MacAddress mac, int type, int requested, boolean broadcast) {
        ByteBuf f = DhcpServerTest.frame(mac.getBytes(), type, 0, requested, requested == 0 ? 0 : DhcpServerTest.SERVER,
                broadcast);
        return ByteBufUtil.getBytes(f);
    }

    private static DhcpMessage decode(byte[] frame) throws DhcpCodec.Malformed {
        return DhcpServerTest.decodeReply(Unpooled.wrappedBuffer(frame));
    }

    @Test
    void aDiscoverGoesToTheControllerOnlyAndTheOfferLeavesTheAskingPortAddressedToTheClient() throws Exception {
        DhcpManager manager = manager(true);
        FakeFlowTable.Verdict offer = ask(manager, P1, Frames.dhcpClient(HOST_A, DhcpMessage.DISCOVER));
        assertEquals(List.of(P1), offer.ports(), "out of the asking port only");
        byte[] f = offer.frameOut(P1);
        DhcpMessage m = decode(f);
        assertEquals(DhcpMessage.OFFER, m.type());
        // RFC 2131 §4.1: no ciaddr and no broadcast bit: unicast to the client's MAC and yiaddr.
        assertEquals(HOST_A, Frames.ethDst(f));
        assertEquals(SITE_MAC, Frames.ethSrc(f));
        assertEquals(m.yiaddr(), Unpooled.wrappedBuffer(f).getInt(14 + 16));
        assertEquals(1, manager.stats().offers());
    }

    @Test
    void aClientThatAsksForBroadcastIsAnsweredToEveryoneButStillOnlyOutOfItsPort() throws Exception {
        DhcpManager manager = manager(true);
        FakeFlowTable.Verdict offer = ask(manager, P1, client(HOST_A, DhcpMessage.DISCOVER, 0, true));
        assertEquals(List.of(P1), offer.ports(), "never flooded");
        byte[] f = offer.frameOut(P1);
        assertEquals(MacAddress.BROADCAST, Frames.ethDst(f));
        assertEquals(-1, Unpooled.wrappedBuffer(f).getInt(14 + 16), "to 255.255.255.255");
        assertEquals(DhcpMessage.OFFER, decode(f).type());
    }

    @Test
    void anAckBindsTheHostOnItsPortAndAReleaseUnbindsIt() throws Exception {
        DhcpManager manager = manager(true);
        int ip = decode(ask(manager, P2, Frames.dhcpClient(HOST_B, DhcpMessage.DISCOVER)).frameOut(P2)).yiaddr();
        assertEquals(List.of(), hosts.calls, "an offer binds nothing");
        FakeFlowTable.Verdict ack = ask(manager, P2, client(HOST_B, DhcpMessage.REQUEST, ip, false));
        assertEquals(DhcpMessage.ACK, decode(ack.frameOut(P2)).type());
        String address = IPv4Address.of(ip).toString();
        assertEquals(List.of("leased 2 " + HOST_B + " " + address), hosts.calls);
        ByteBuf release = DhcpServerTest.frame(HOST_B.getBytes(), DhcpMessage.RELEASE, ip, 0, DhcpServerTest.SERVER, false);
        assertEquals(List.of(), ask(manager, P2, ByteBufUtil.getBytes(release)).ports(), "a release has no answer");
        assertEquals(List.of("leased 2 " + HOST_B + " " + address, "ended 2 " + HOST_B + " " + address), hosts.calls);
    }

    @Test
    void aLeaseThatRunsOutUnbindsItsHostOnATick() throws Exception {
        DhcpManager manager = manager(true);
        int ip = decode(ask(manager, P1, Frames.dhcpClient(HOST_A, DhcpMessage.DISCOVER)).frameOut(P1)).yiaddr();
        ask(manager, P1, client(HOST_A, DhcpMessage.REQUEST, ip, false));
        hosts.calls.clear();
        ctx.advanceMillis(600_001);
        manager.tick();
        assertEquals(List.of("ended 1 " + HOST_A + " " + IPv4Address.of(ip)), hosts.calls);
        assertEquals(0, manager.stats().leaseCount());
    }

    @Test
    void aLatePoolAnswerIsSentByTheSwitchContextOutOfTheAskingPort() throws Exception {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        DhcpServerTest.FakePool slow = new DhcpServerTest.FakePool() {
            @Override
            public CompletableFuture<byte[]> announcedBy(int ip) {
                return answer;
            }
        };
        SwitchSettings d = SwitchSettings.defaults();
        DhcpManager manager = new DhcpManager(ctx, new SwitchSettings(SITE_MAC, 1360,
                DhcpServerTest.config("10.77.200.1", "10.77.200.254"), d.multicast(), d.storm(), Set.of(), 1), slow, hosts);
        table.apply(pipeline());
        table.apply(manager.switchReady());
        FakeFlowTable.Verdict now = ask(manager, P1, Frames.dhcpClient(HOST_A, DhcpMessage.DISCOVER));
        assertTrue(now.dropped(), "nothing until the pool answers");
        answer.complete(null);
        assertEquals(1, ctx.sent().size());
        FakeFlowTable.Verdict offer = table.packetOut((OFPacketOut) ctx.sent().get(0));
        assertEquals(List.of(P1), offer.ports());
        assertEquals(DhcpMessage.OFFER, decode(offer.frameOut(P1)).type());
    }

    @Test
    void aRogueServerOnAnUntrustedPortIsDroppedAndCountedWhileTheTrustedPortsServerIsHeard() {
        DhcpManager manager = manager(true);
        byte[] rogue = Frames.dhcpServer(HOST_B, IPv4Address.of("10.77.9.9"), HOST_A, DhcpMessage.OFFER);
        FakeFlowTable.Verdict v = table.process(P2, rogue);
        assertEquals(List.of(), v.ports(), "no host hears the rogue offer");
        assertTrue(v.toController(Cookies.DHCP));
        assertEquals(List.of(), manager.packetIn(P2, v.packetIns().get(0).frame()));
        assertEquals(1, manager.stats().rogueServers());

        // Unicast to the victim's MAC, or from a port the manager has not heard of yet: dropped all the same.
        byte[] unicast = Frames.udp(HOST_B, HOST_A, IPv4Address.of("10.77.9.9"), IPv4Address.of("10.77.200.5"), 67, 68,
                new byte[300]);
        assertEquals(List.of(), table.process(P2, unicast).ports());
        table.portAdded(OFPort.of(4));
        assertTrue(table.process(OFPort.of(4), rogue).dropped(), "an unlisted port is not trusted");

        FakeFlowTable.Verdict trusted = table.process(TRUSTED, rogue);
        assertTrue(trusted.ports().contains(P1), "a trusted port's server reaches the hosts: " + trusted.ports());
        assertFalse(trusted.toController());
    }

    @Test
    void dhcpFromTheOverlayPortIsDroppedInBothDirections() {
        manager(true);
        assertTrue(table.process(OVERLAY, Frames.dhcpClient(HOST_A, DhcpMessage.DISCOVER)).dropped());
        assertTrue(table.process(OVERLAY, Frames.dhcpServer(HOST_B, SERVER, HOST_A, DhcpMessage.OFFER)).dropped());
    }

    @Test
    void theServersAddressIsAnsweredByAFlowOutOfTheAskingPort() {
        manager(true);
        IPv4Address hostIp = IPv4Address.of("10.77.200.9");
        FakeFlowTable.Verdict v = table.process(P1, Frames.arpRequest(HOST_A, hostIp, SERVER));
        assertFalse(v.toController(), "answered in the switch");
        assertEquals(List.of(P1), v.ports());
        byte[] reply = v.frameOut(P1);
        assertEquals(HOST_A, Frames.ethDst(reply));
        assertEquals(SITE_MAC, Frames.ethSrc(reply));
        assertEquals(2, Frames.arpOp(reply));
        assertEquals(SITE_MAC, Frames.arpSha(reply));
        assertEquals(SERVER, Frames.arpSpa(reply));
        assertEquals(HOST_A, Frames.arpTha(reply));
        assertEquals(hostIp, Frames.arpTpa(reply));
    }

    @Test
    void framesToTheServersMacThatAreNotDhcpOrArpAreDropped() {
        manager(true);
        byte[] tcpish = Frames.udp(HOST_A, SITE_MAC, IPv4Address.of("10.77.200.9"), SERVER, 5000, 80, new byte[20]);
        assertTrue(table.process(P1, tcpish).dropped());
        assertTrue(table.process(P1, Frames.raw(HOST_A, SITE_MAC)).dropped());
    }

    @Test
    void withoutDhcpSettingsClientsReachTheTrustedServerButNotTheRingAndRoguesAreStillDropped() {
        DhcpManager manager = manager(false);
        FakeFlowTable.Verdict discover = table.process(P1, Frames.dhcpClient(HOST_A, DhcpMessage.DISCOVER));
        assertFalse(discover.toController());
        assertTrue(discover.ports().contains(TRUSTED), discover.ports().toString());
        assertTrue(table.process(OVERLAY, Frames.dhcpClient(HOST_A, DhcpMessage.DISCOVER)).dropped());
        byte[] rogue = Frames.dhcpServer(HOST_B, IPv4Address.of("10.77.9.9"), HOST_A, DhcpMessage.OFFER);
        FakeFlowTable.Verdict v = table.process(P2, rogue);
        assertEquals(List.of(), v.ports());
        manager.packetIn(P2, v.packetIns().get(0).frame());
        assertEquals(1, manager.stats().rogueServers());
        assertFalse(manager.stats().enabled());
    }

    @Test
    void aPortThatLeavesTakesItsFlowsAndAPortThatJoinsGetsThem() {
        DhcpManager manager = manager(true);
        table.apply(manager.portRemoved(new SwitchPort(P2, "p2", false, false)));
        assertTrue(table.process(P2, Frames.dhcpClient(HOST_B, DhcpMessage.DISCOVER)).dropped(),
                "DHCP from a port the manager does not know reaches nobody");
        OFPort p4 = OFPort.of(4);
        table.portAdded(p4);
        table.apply(manager.portAdded(new SwitchPort(p4, "p4", false, false)));
        FakeFlowTable.Verdict offer = ask(manager, p4, Frames.dhcpClient(HOST_B, DhcpMessage.DISCOVER));
        assertEquals(List.of(p4), offer.ports());
    }

    @Test
    void aMalformedClientMessageIsCountedAndAnsweredWithNothing() {
        DhcpManager manager = manager(true);
        byte[] f = Frames.dhcpClient(HOST_A, DhcpMessage.DISCOVER);
        f[14 + 20 + 8 + 236] = 0;
        assertEquals(List.of(), ask(manager, P1, f).ports());
        assertEquals(1, manager.stats().malformed());
    }
}
