package io.ringswitch.controller.mtu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.forwarding.ForwardingManager;
import io.ringswitch.controller.packet.InternetChecksum;
import io.ringswitch.controller.pipeline.FakeDirectory;
import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import io.ringswitch.controller.pipeline.Tables;
import io.ringswitch.controller.storm.StormControl;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.IPv6Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Packets too big for the overlay, pushed through the fake switch with the flows of storm control,
 * forwarding and this manager: only oversized UDP/ICMP for other sites reach the controller, and its
 * answer leaves by the asking port.
 */
class TooBigManagerTest {
    private static final int MTU = 1360;
    private static final OFPort P1 = OFPort.of(1);
    private static final OFPort P2 = OFPort.of(2);
    private static final OFPort OVERLAY = OFPort.of(9);
    private static final MacAddress A = MacAddress.of("02:00:00:00:00:0a");
    private static final MacAddress B = MacAddress.of("02:00:00:00:00:0b");
    private static final MacAddress REMOTE = MacAddress.of("02:00:00:00:01:0c");
    private static final IPv4Address A4 = IPv4Address.of("10.77.1.10");
    private static final IPv4Address REMOTE4 = IPv4Address.of("10.77.2.12");
    private static final IPv6Address A6 = IPv6Address.of("fd77::a");
    private static final IPv6Address REMOTE6 = IPv6Address.of("fd77::2:c");

    private final FakeSwitchContext context = new FakeSwitchContext();
    private final FakeFlowTable table = new FakeFlowTable(context::nowMillis, P1, P2, OVERLAY);
    private ForwardingManager forwarding;
    private TooBigManager tooBig;

    @BeforeEach
    void connect() {
        context.attach(table).localPort(P1).localPort(P2).overlayPort(OVERLAY);
        StormControl storm = new StormControl(context, new SwitchSettings.Storm(200, 100));
        forwarding = new ForwardingManager(context, new FakeDirectory());
        tooBig = new TooBigManager(context, MTU);
        table.apply(Tables.missFlows(FakeSwitchContext.OF13));
        table.apply(storm.switchReady());
        table.apply(forwarding.switchReady());
        table.apply(tooBig.switchReady());
        for (SwitchPort port : List.of(new SwitchPort(P1, "h1", false, false), new SwitchPort(P2, "h2", false, false),
                new SwitchPort(OVERLAY, "rstap0", true, false))) {
            table.apply(storm.portAdded(port));
            table.apply(forwarding.portAdded(port));
            table.apply(tooBig.portAdded(port));
        }
    }

    @Test
    void aDatagramWithDfOverTheMtuForAnotherSiteIsAnsweredWithFragmentationNeededFromItsDestination() {
        byte[] sent = udp(1400);
        Verdict verdict = table.process(P1, sent);
        assertTrue(verdict.toController(TooBigManager.PUNT_COOKIE), "oversized: to the controller");
        assertEquals(List.of(), verdict.ports(), "and nowhere else");

        byte[] reply = answer(P1, sent);
        ByteBuf r = Unpooled.wrappedBuffer(reply);
        assertEquals(A, Frames.ethDst(reply));
        assertEquals(REMOTE, Frames.ethSrc(reply));
        assertEquals(REMOTE4, Frames.ipSrc(reply), "from the packet's destination");
        assertEquals(A4, Frames.ipDst(reply));
        assertEquals(1, r.getUnsignedByte(23), "ICMP");
        assertEquals(3, r.getUnsignedByte(34), "destination unreachable");
        assertEquals(4, r.getUnsignedByte(35), "fragmentation needed and DF set");
        assertEquals(MTU, r.getUnsignedShort(40), "next-hop MTU (RFC 1191)");
        assertEquals(0, InternetChecksum.finish(InternetChecksum.add(0, r, 14, 20)), "IPv4 header checksum");
        assertEquals(0, InternetChecksum.finish(InternetChecksum.add(0, r, 34, reply.length - 34)), "ICMP checksum");
        assertArrayEquals(Arrays.copyOfRange(sent, 14, 42), Arrays.copyOfRange(reply, 42, 70), "quotes the packet");
        assertEquals(1L, tooBig.counters().get(TooBigManager.ANSWERED_V4));
        assertEquals(1L, tooBig.counters().get(TooBigManager.TO_CONTROLLER), "the packet-ins are counted");
        assertTrue(tooBig.flowCounters().isEmpty(), "not the punt flows' packet counts, which OVS inflates");
    }

    @Test
    void onlyPacketsLongerThanTheMtuAreMeasuredAsTooBig() {
        assertEquals(List.of(P2, OVERLAY), table.process(P1, udp(MTU)).ports(), "exactly the MTU still floods as before");
        assertTrue(table.process(P1, udp(MTU + 1)).toController(TooBigManager.PUNT_COOKIE), "one byte more is too big");
    }

    @Test
    void ipv6IsAnsweredWithPacketTooBig() {
        byte[] sent = Frames.udp6(A, REMOTE, A6, REMOTE6, 5000, 6000, new byte[1400 - 48]);
        assertTrue(table.process(P1, sent).toController(TooBigManager.PUNT_COOKIE));
        byte[] reply = answer(P1, sent);
        ByteBuf r = Unpooled.wrappedBuffer(reply);
        assertEquals(0x86dd, Frames.ethType(reply));
        assertEquals(58, r.getUnsignedByte(20), "ICMPv6");
        assertArrayEquals(REMOTE6.getBytes(), Arrays.copyOfRange(reply, 22, 38), "from the packet's destination");
        assertArrayEquals(A6.getBytes(), Arrays.copyOfRange(reply, 38, 54));
        assertEquals(2, r.getUnsignedByte(54), "packet too big (RFC 4443 §3.2)");
        assertEquals(MTU, r.getInt(58));
        int length = reply.length - 54;
        long sum = InternetChecksum.add(0, r, 22, 32) + 58 + length;
        assertEquals(0, InternetChecksum.finish(InternetChecksum.add(sum, r, 54, length)), "ICMPv6 checksum");
        assertTrue(reply.length - 14 <= 1280, "an ICMPv6 error fits the IPv6 minimum MTU");
        assertEquals(1L, tooBig.counters().get(TooBigManager.ANSWERED_V6));
    }

    @Test
    void tcpOverTheMtuStillGoesToTheOverlayWhichCutsSuperFrames() {
        byte[] segment = Arrays.copyOf(Frames.tcp(A, REMOTE, A4, REMOTE4, 5000, 80), 14 + 1500);
        Verdict verdict = table.process(P1, segment);
        assertFalse(verdict.toController());
        assertEquals(List.of(P2, OVERLAY), verdict.ports());
    }

    @Test
    void oversizedPacketsBetweenHostsOfOneSiteKeepTheirOwnMtu() {
        table.apply(forwarding.localHost(B, P2));
        Verdict verdict = table.process(P1, Frames.udp(A, B, A4, IPv4Address.of("10.77.1.11"), 5000, 6000, new byte[1472]));
        assertEquals(List.of(P2), verdict.ports());
        assertFalse(verdict.toController());
    }

    @Test
    void ipv4WithoutDfIsDroppedAndCountedNotAnswered() {
        byte[] sent = udp(1400);
        sent[20] = 0;
        ByteBuf b = Unpooled.wrappedBuffer(sent);
        b.setShort(24, 0);
        b.setShort(24, InternetChecksum.finish(InternetChecksum.add(0, b, 14, 20)));
        assertTrue(table.process(P1, sent).toController(TooBigManager.PUNT_COOKIE));
        assertEquals(List.of(), tooBig.packetIn(P1, sent));
        assertEquals(1L, tooBig.counters().get(TooBigManager.DROPPED));
    }

    /** A host cannot make the controller send ICMP errors about ICMP errors (RFC 1122 §3.2.2): no loops between sites. */
    @Test
    void anOversizedIcmpErrorIsNeverAnswered() {
        byte[] error = udp(1400);
        error[23] = 1;
        error[34] = 3;
        assertTrue(table.process(P1, error).toController(TooBigManager.PUNT_COOKIE));
        assertEquals(List.of(), tooBig.packetIn(P1, error));
        assertEquals(0L, tooBig.counters().get(TooBigManager.ANSWERED_V4));
    }

    /** A remote site cannot make this controller answer into the overlay: frames from the ring are never measured. */
    @Test
    void oversizedFramesFromTheOverlayReachLocalHostsAndNoAnswerGoesBack() {
        byte[] fromRing = Frames.udp(REMOTE, A, REMOTE4, A4, 6000, 5000, new byte[1400 - 28]);
        Verdict verdict = table.process(OVERLAY, fromRing);
        assertFalse(verdict.toController());
        assertEquals(List.of(P1, P2), verdict.ports());
        assertEquals(List.of(), tooBig.packetIn(OVERLAY, fromRing), "a packet-in claiming the overlay port is refused");
    }

    @Test
    void aHostSendingOversizedPacketsReachesTheControllerOnlyAtItsPacketInRate() {
        int reached = 0;
        for (int i = 0; i < 150; i++) {
            if (table.process(P1, udp(1400)).toController(TooBigManager.PUNT_COOKIE)) {
                reached++;
            }
        }
        assertEquals(100, reached);
    }

    @Test
    void aPortThatLeavesTakesItsFlowsWithIt() {
        int before = table.flowCount();
        table.apply(tooBig.portRemoved(new SwitchPort(P2, "h2", false, false)));
        assertEquals(before - 4, table.flowCount());
    }

    private static byte[] udp(int ipLength) {
        return Frames.udp(A, REMOTE, A4, REMOTE4, 5000, 6000, new byte[ipLength - 28]);
    }

    /** The controller's answer to a packet-in, executed by the switch: the frame that leaves {@code port}. */
    private byte[] answer(OFPort port, byte[] sent) {
        List<OFMessage> out = tooBig.packetIn(port, sent);
        assertEquals(1, out.size());
        Verdict verdict = table.packetOut((OFPacketOut) out.get(0));
        assertEquals(List.of(port), verdict.ports(), "out of the asking port only");
        return verdict.frameOut(port);
    }
}
