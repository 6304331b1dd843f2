package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.FakeDirectory;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.FakeGateways;
import io.ringswitch.controller.pipeline.FakeNames;
import io.ringswitch.controller.pipeline.Frames;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/** A gateway site (split tunnel itself): its gateway port joins the bridge from its own MAC only, with any IP source. */
class GatewayPortTest {
    private static final OFPort H1 = OFPort.of(1);
    private static final OFPort OVERLAY = OFPort.of(4);
    private static final OFPort GW = OFPort.of(7);
    private static final MacAddress GW_MAC = TunnelSite.GW1.mac();
    private static final IPv4Address GW_IP = IPv4Address.of(TunnelSite.GW1.address());
    private static final MacAddress CLIENT = MacAddress.of("02:00:00:00:0c:01");
    private static final IPv4Address CLIENT_IP = IPv4Address.of("10.77.200.9");
    private static final MacAddress MALLORY = MacAddress.of("02:00:00:00:00:66");
    private static final IPv4Address INTERNET = IPv4Address.of("198.51.100.10");

    private final FakeDirectory directory = new FakeDirectory();
    private final SwitchUnderTest bridge;

    GatewayPortTest() {
        SwitchSettings settings = new SwitchSettings(TunnelSite.SITE, 1400, TunnelSite.DHCP, SwitchSettings.Multicast.defaults(),
                new SwitchSettings.Storm(1000, 1000), Set.of(), 1)
                .withTunnel(SwitchSettings.Tunnel.split(), new SwitchSettings.GatewayPort("gw0", GW_MAC, GW_IP.getInt()));
        ControllerConfig config = ControllerConfig.of(new InetSocketAddress("127.0.0.1", 0), "rstap0", settings);
        OverlayServices overlay = new OverlayServices(directory, new MemoryPool(), GroupDirectory.none(), new FakeGateways(),
                new FakeNames("lab.example"));
        bridge = new SwitchUnderTest("rstap0", Set.of(), settings.infrastructurePorts(),
                context -> SwitchManagers.build(context, config, overlay), H1, OVERLAY, GW)
                .connect(SwitchUnderTest.port(H1, "h1"), SwitchUnderTest.port(OVERLAY, "rstap0"), SwitchUnderTest.port(GW, "gw0"));
        directory.remote(CLIENT_IP.toInetAddress(), CLIENT, "client-site");
    }

    @Test
    void theGatewayPortIsPublishedAndWithdrawnWithThePort() {
        assertEquals(List.of(new FakeDirectory.Entry(GW_IP.toInetAddress(), GW_MAC)), directory.published);
        bridge.table.apply(bridge.pipeline.portStatus(SwitchUnderTest.OF.buildPortStatus().setReason(OFPortReason.DELETE)
                .setDesc(SwitchUnderTest.port(GW, "gw0")).build()));
        assertEquals(List.of(new FakeDirectory.Entry(GW_IP.toInetAddress(), GW_MAC)), directory.withdrawn);
    }

    @Test
    void framesToTheGatewayMacFromTheOverlayLeaveByTheGatewayPort() {
        Verdict v = bridge.feed(OVERLAY, Frames.udp(CLIENT, GW_MAC, CLIENT_IP, INTERNET, 40000, 443, new byte[4]));
        assertEquals(List.of(GW), v.ports());
    }

    @Test
    void theGatewayPortSendsFromAnyIpSourceWithItsOwnMac() {
        Verdict v = bridge.feed(GW, Frames.udp(GW_MAC, CLIENT, INTERNET, CLIENT_IP, 443, 40000, new byte[4]));
        assertTrue(v.ports().contains(OVERLAY), "the Internet's answer goes on to the client's site: " + v.ports());
        assertTrue(v.packetIns().isEmpty(), "no port security punt for an Internet source");
    }

    /** Attacker test: whatever sits behind the gateway port, only its own MAC gets in. */
    @Test
    void nothingFromAnotherMacEntersFromTheGatewayPort() {
        List<byte[]> forged = List.of(Frames.udp(MALLORY, CLIENT, INTERNET, CLIENT_IP, 443, 40000, new byte[4]),
                Frames.udp(MALLORY, CLIENT, GW_IP, CLIENT_IP, 53, 40000, new byte[4]), Frames.broadcast(MALLORY),
                Frames.arpRequest(MALLORY, GW_IP, CLIENT_IP), Frames.dhcpClient(MALLORY, 1));
        for (byte[] frame : forged) {
            Verdict v = bridge.feed(GW, frame);
            assertTrue(v.ports().isEmpty() && v.packetIns().isEmpty(), "dropped in table 0: " + v.ports());
        }
        assertEquals(forged.size(), bridge.table.packets(io.ringswitch.controller.pipeline.Cookies.sub(
                io.ringswitch.controller.pipeline.Cookies.TUNNEL, 6)));
    }

    @Test
    void theGatewayPortsArpForARemoteClientIsAnswered() {
        Verdict v = bridge.feed(GW, Frames.arpRequest(GW_MAC, GW_IP, CLIENT_IP));
        assertEquals(List.of(GW), v.ports());
        byte[] reply = v.frameOut(GW);
        assertEquals(2, Frames.arpOp(reply));
        assertEquals(CLIENT, Frames.arpSha(reply));
        assertEquals(CLIENT_IP, Frames.arpSpa(reply));
        Verdict again = bridge.table.process(GW, Frames.arpRequest(GW_MAC, GW_IP, CLIENT_IP));
        assertEquals(List.of(GW), again.ports(), "then answered by the datapath's responder flow");
    }
}
