package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.api.OverlayServices;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.api.SwitchListener;
import io.ringswitch.controller.api.SwitchSettings;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Frames;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGroupDelete;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.OFMeterStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.protocol.OFEchoReply;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.errormsg.OFHelloFailedErrorMsg;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U32;

/** The OpenFlow channel, byte by byte: handshake, keepalive, and what it does with bad input. */
class OpenFlowChannelTest {
    private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final DatapathId DPID = DatapathId.of(0x42);

    private final List<String> events = new ArrayList<>();
    private OpenFlowController controller;
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        controller = new OpenFlowController(new ControllerConfig(new InetSocketAddress("127.0.0.1", 0), "rstap0",
                Duration.ofSeconds(5), SwitchSettings.defaults()), new SwitchListener() {
            @Override
            public void switchConnected(DatapathId dpid) {
                events.add("up " + dpid);
            }

            @Override
            public void switchDisconnected(DatapathId dpid) {
                events.add("down " + dpid);
            }
        });
        channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                controller.initPipeline(ch);
            }
        });
    }

    @Test
    void handshakeNegotiatesOneThreeAndInstallsTheFlows() {
        OFHello hello = (OFHello) readOne();
        assertEquals(OFVersion.OF_13, hello.getVersion());
        handshake();
        List<OFMessage> setup = readAll();
        assertTrue(setup.stream().anyMatch(m -> m instanceof OFFlowAdd), "flows installed");
        assertTrue(setup.stream().anyMatch(m -> m instanceof OFPortDescStatsRequest), "ports asked for");
        assertEquals(List.of("up " + DPID), events);
        assertEquals(List.of(DPID.toString()), controller.status().switches());
        channel.close();
        assertEquals(List.of("up " + DPID, "down " + DPID), events);
        assertFalse(channel.finish());
    }

    @Test
    void messagesSplitIntoSingleBytesAreReassembled() {
        readOne();
        ByteBuf hello = bytes(switchHello());
        while (hello.isReadable()) {
            channel.writeInbound(hello.readRetainedSlice(1));
        }
        hello.release();
        assertInstanceOf(OFFeaturesRequest.class, readOne());
        ByteBuf features = bytes(features());
        channel.writeInbound(features.readRetainedSlice(3), features.readRetainedSlice(10), features.readRetainedSlice(features.readableBytes()));
        features.release();
        assertEquals(List.of("up " + DPID), events);
        readAll();
        assertFalse(channel.finish());
    }

    @Test
    void aSwitchThatSpeaksOnlyOneZeroIsRefused() {
        readOne();
        OFFactory of10 = OFFactories.getFactory(OFVersion.OF_10);
        channel.writeInbound(bytes(of10.buildHello().setXid(7).build()));
        OFHelloFailedErrorMsg error = (OFHelloFailedErrorMsg) readOne();
        assertEquals("INCOMPATIBLE", error.getCode().name());
        assertFalse(channel.isActive());
        assertEquals(1, controller.status().badVersion());
        assertTrue(events.isEmpty());
        assertFalse(channel.finish());
    }

    @Test
    void aBitmapWithoutOneThreeIsRefused() {
        readOne();
        OFFactory of14 = OFFactories.getFactory(OFVersion.OF_14);
        channel.writeInbound(bytes(of14.buildHello().setXid(7).setElements(List.of(
                of14.buildHelloElemVersionbitmap().setBitmaps(List.of(U32.of(1 << 5))).build())).build()));
        assertInstanceOf(OFHelloFailedErrorMsg.class, readOne());
        assertFalse(channel.isActive());
        assertFalse(channel.finish());
    }

    @Test
    void aHelloFromAFutureVersionNegotiatesDownToOneThree() {
        readOne();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x09, 0x00, 0x00, 0x08, 0, 0, 0, 5}));
        assertInstanceOf(OFFeaturesRequest.class, readOne());
        assertTrue(channel.isActive());
        channel.close();
        assertFalse(channel.finish());
    }

    @Test
    void garbageClosesTheChannelWithoutAnException() {
        readOne();
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        channel.checkException();
        assertFalse(channel.isActive());
        assertEquals(1, controller.status().malformed());
        assertFalse(channel.finish());
    }

    @Test
    void aLengthShorterThanTheHeaderClosesTheChannel() {
        readOne();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x04, 0x00, 0x00, 0x04, 0, 0, 0, 1}));
        channel.checkException();
        assertFalse(channel.isActive());
        assertEquals(1, controller.status().malformed());
        assertFalse(channel.finish());
    }

    @Test
    void anUnparseableButWellFramedMessageIsDroppedAndTheChannelStays() {
        readOne();
        handshake();
        readAll();
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x04, (byte) 0xee, 0x00, 0x0c, 0, 0, 0, 9, 1, 2, 3, 4}));
        channel.checkException();
        assertTrue(channel.isActive());
        assertEquals(1, controller.status().malformed());
        channel.writeInbound(bytes(portAdded(OFPort.of(1), "h1")));
        assertTrue(readAll().stream().anyMatch(m -> m instanceof OFFlowAdd), "still serving the switch");
        channel.close();
        assertFalse(channel.finish());
    }

    @Test
    void echoRequestsAreAnsweredWithTheirXid() {
        readOne();
        handshake();
        readAll();
        channel.writeInbound(bytes(OF13.buildEchoRequest().setXid(77).setData(new byte[] {1, 2}).build()));
        OFEchoReply reply = (OFEchoReply) readOne();
        assertEquals(77, reply.getXid());
        channel.close();
        assertFalse(channel.finish());
    }

    @Test
    void aSilentSwitchIsPingedThenDropped() {
        readOne();
        handshake();
        readAll();
        // IdleStateHandler reads the system clock, so the idle events are fired by hand.
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertInstanceOf(OFEchoRequest.class, readOne());
        for (int i = 1; i < EchoKeepaliveHandler.MAX_MISSED; i++) {
            assertTrue(channel.isActive(), "still up after " + i + " silent intervals");
            channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        }
        readAll();
        assertFalse(channel.isActive());
        assertEquals(List.of("up " + DPID, "down " + DPID), events);
        assertFalse(channel.finish());
    }

    @Test
    void anyMessageFromTheSwitchResetsTheSilenceCount() {
        readOne();
        handshake();
        readAll();
        for (int i = 0; i < 2 * EchoKeepaliveHandler.MAX_MISSED; i++) {
            channel.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
            channel.writeInbound(bytes(OF13.buildEchoReply().setXid(i).build()));
        }
        assertTrue(channel.isActive());
        readAll();
        channel.close();
        assertFalse(channel.finish());
    }

    @Test
    void aSwitchThatNeverFinishesTheHandshakeIsDropped() {
        readOne();
        channel.advanceTimeBy(OpenFlowController.HANDSHAKE_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        readAll();
        assertFalse(channel.isActive());
        assertFalse(channel.finish());
    }

    @Test
    void theSwitchIsEmptiedOnConnectAndItsStatisticsArePolledEveryFiveSeconds() {
        readOne();
        handshake();
        List<OFMessage> setup = readAll();
        assertTrue(setup.stream().anyMatch(m -> m instanceof OFFlowDelete d && d.getTableId().equals(TableId.ALL)));
        assertTrue(setup.stream().anyMatch(m -> m instanceof OFGroupDelete d && d.getGroup().equals(OFGroup.ALL)));
        assertTrue(setup.stream().anyMatch(m -> m instanceof OFMeterMod d && d.getCommand() == OFMeterModCommand.DELETE
                && d.getMeterId() == 0xffff_ffffL));
        assertTrue(setup.stream().anyMatch(m -> m instanceof OFBarrierRequest));
        for (int second = 1; second <= 5; second++) {
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            List<OFMessage> sent = readAll();
            assertEquals(second == 5, sent.stream().anyMatch(m -> m instanceof OFFlowStatsRequest), "second " + second);
            assertEquals(second == 5, sent.stream().anyMatch(m -> m instanceof OFMeterStatsRequest), "second " + second);
        }
        channel.writeInbound(bytes(OF13.buildFlowStatsReply().setXid(9).setEntries(List.of(
                OF13.buildFlowStatsEntry().setTableId(TableId.of(2)).setCookie(Cookies.FORWARDING).setPriority(10)
                        .setMatch(OF13.buildMatch().build()).setPacketCount(U64.of(7)).setByteCount(U64.ZERO).build()))
                .build()));
        channel.writeInbound(bytes(OF13.buildMeterStatsReply().setXid(10).setEntries(List.of()).build()));
        assertEquals(1, controller.status().flows());
        assertEquals(0, controller.status().meters());
        channel.close();
        assertFalse(channel.finish());
    }

    @Test
    void aRemoteMacLearnedOnTheOverlaysThreadIsInstalledFromTheChannelsThread() throws Exception {
        SiteDirectory.Listener[] heard = new SiteDirectory.Listener[1];
        SiteDirectory directory = new SiteDirectory() {
            @Override
            public void publish(java.net.InetAddress ip, MacAddress mac) {
            }

            @Override
            public void withdraw(java.net.InetAddress ip, MacAddress mac) {
            }

            @Override
            public java.util.concurrent.CompletableFuture<Located> lookup(java.net.InetAddress ip) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public java.util.concurrent.CompletableFuture<Located> lookup(MacAddress mac) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }

            @Override
            public void listen(Listener listener) {
                heard[0] = listener;
            }
        };
        OpenFlowController withOverlay = new OpenFlowController(ControllerConfig.of(new InetSocketAddress("127.0.0.1", 0),
                "rstap0"), new SwitchListener() {
            @Override
            public void switchConnected(DatapathId dpid) {
            }

            @Override
            public void switchDisconnected(DatapathId dpid) {
            }
        }, new OverlayServices(directory, null, GroupDirectory.none()));
        channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                withOverlay.initPipeline(ch);
            }
        });
        readOne();
        handshake();
        channel.writeInbound(bytes(portAdded(OFPort.of(3), "rstap0")));
        readAll();
        Thread overlay = new Thread(() -> heard[0].remoteMacLearned(MacAddress.of("02:00:00:00:01:0c")));
        overlay.start();
        overlay.join();
        assertTrue(readAll().isEmpty(), "nothing written from the overlay's thread");
        channel.runPendingTasks();
        assertTrue(readAll().stream().anyMatch(m -> m instanceof OFFlowAdd add
                && MacAddress.of("02:00:00:00:01:0c").equals(add.getMatch().get(MatchField.ETH_DST))));
        channel.close();
        assertFalse(channel.finish());
    }

    @Test
    void aSwitchThatConnectsAgainFindsItsHostsBoundAndTheirFlowsBack() {
        MacAddress host = MacAddress.of("02:00:00:00:00:0a");
        readOne();
        handshake();
        readAll();
        describePorts();
        readAll();
        byte[] frame = Frames.broadcast(host);
        channel.writeInbound(bytes(SwitchUnderTest.packetIn(Cookies.PORT_SECURITY, TableId.of(0), OFPort.of(1), frame)));
        channel.runPendingTasks();
        assertTrue(readAll().stream().anyMatch(m -> bindsSource(m, host)), "the host is bound on its first frame");
        channel.close();
        assertFalse(channel.finish());
        channel = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                controller.initPipeline(ch);
            }
        });
        readOne();
        handshake();
        readAll();
        describePorts();
        assertTrue(readAll().stream().anyMatch(m -> bindsSource(m, host)), "the binding outlived the channel");
        channel.close();
        assertFalse(channel.finish());
    }

    private static boolean bindsSource(OFMessage m, MacAddress mac) {
        return m instanceof OFFlowAdd add && add.getTableId().equals(TableId.of(0))
                && mac.equals(add.getMatch().get(MatchField.ETH_SRC));
    }

    private void describePorts() {
        channel.writeInbound(bytes(OF13.buildPortDescStatsReply().setEntries(List.of(SwitchUnderTest.port(OFPort.of(1), "h1"),
                SwitchUnderTest.port(OFPort.of(3), "rstap0"))).build()));
    }

    private static OFMessage portAdded(OFPort number, String name) {
        return OF13.buildPortStatus().setReason(OFPortReason.ADD).setDesc(OF13.buildPortDesc().setPortNo(number)
                .setName(name).setHwAddr(MacAddress.of("02:00:00:00:ff:01")).setConfig(Set.of()).setState(Set.of())
                .build()).build();
    }

    private void handshake() {
        channel.writeInbound(bytes(switchHello()));
        assertInstanceOf(OFFeaturesRequest.class, readOne());
        channel.writeInbound(bytes(features()));
    }

    private static OFHello switchHello() {
        return OF13.buildHello().setXid(1).setElements(List.of(
                OF13.buildHelloElemVersionbitmap().setBitmaps(List.of(U32.of((1 << 1) | (1 << 4)))).build())).build();
    }

    private static OFMessage features() {
        return OF13.buildFeaturesReply().setXid(2).setDatapathId(DPID).setNBuffers(0).setNTables((short) 254).build();
    }

    private static ByteBuf bytes(OFMessage message) {
        ByteBuf buf = Unpooled.buffer();
        message.writeTo(buf);
        return buf;
    }

    private OFMessage readOne() {
        List<OFMessage> all = readAll();
        assertEquals(1, all.size(), "expected one message, got " + all);
        return all.get(0);
    }

    private List<OFMessage> readAll() {
        List<OFMessage> out = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            try {
                while (buf.isReadable()) {
                    out.add(SwitchSideReader.read(buf));
                }
            } catch (Exception e) {
                throw new AssertionError("controller wrote an unparseable message", e);
            } finally {
                buf.release();
            }
        }
        return out;
    }
}
