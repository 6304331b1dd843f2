package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.pipeline.FakeFlowTable;
import io.ringswitch.controller.pipeline.FakeFlowTable.Output;
import io.ringswitch.controller.pipeline.FakeFlowTable.PacketIn;
import io.ringswitch.controller.pipeline.FakeFlowTable.Verdict;
import io.ringswitch.controller.pipeline.FakeSwitchContext;
import io.ringswitch.controller.pipeline.Frames;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * One bridge under test: the real dispatcher ({@link SwitchPipeline}) on the fake Open vSwitch,
 * connected as OVS and the channel would connect it. Every frame the switch punts goes to the
 * pipeline, and what the managers send back, at once or later (a directory or pool answer), goes
 * to the switch; {@link #feed} returns all that left the switch's ports because of one frame.
 */
final class SwitchUnderTest {
    static final OFFactory OF = FakeSwitchContext.OF13;
    /** Packet-ins handled for one frame before the test calls it a loop. */
    private static final int LOOP = 10_000;

    final FakeFlowTable table;
    final SwitchPipeline pipeline;
    private long now;
    private final List<OFPortDesc> ports = new ArrayList<>();
    private final Deque<PacketIn> toController = new ArrayDeque<>();
    private final List<Output> out = new ArrayList<>();
    private long packetIns;

    /** A bridge with {@code ports} (their order is the order floods list them), managers built by {@code managers}. */
    SwitchUnderTest(String overlayPortName, Set<String> trustedPorts, Function<SwitchContext, List<SwitchManager>> managers,
                    OFPort... ports) {
        this(overlayPortName, trustedPorts, Set.of(), managers, ports);
    }

    /** A bridge with infrastructure ports (a full tunnel's uplink and underlay port, a gateway port) among {@code ports}. */
    SwitchUnderTest(String overlayPortName, Set<String> trustedPorts, Set<String> infrastructurePorts,
                    Function<SwitchContext, List<SwitchManager>> managers, OFPort... ports) {
        this.table = new FakeFlowTable(() -> now, ports);
        this.pipeline = new SwitchPipeline(OF, overlayPortName, trustedPorts, infrastructurePorts, () -> now, new SwitchPipeline.Link() {
            @Override
            public void send(List<OFMessage> messages) {
                record(table.apply(messages));
            }

            @Override
            public void execute(Runnable task) {
                task.run();
            }
        }, managers);
    }

    long now() {
        return now;
    }

    void advanceMillis(long millis) {
        now += millis;
    }

    /** The handshake is done: the pipeline empties the switch and lists {@code described}. */
    SwitchUnderTest connect(OFPortDesc... described) {
        ports.clear();
        ports.addAll(List.of(described));
        return reconnect();
    }

    /** The switch connects again with the same ports (an OVS restart, a channel that dropped). */
    SwitchUnderTest reconnect() {
        record(table.apply(pipeline.switchReady()));
        record(table.apply(pipeline.portsDescribed(ports)));
        settle();
        return this;
    }

    /**
     * A frame enters {@code port}: what left the switch's ports, at once and because of the packet-ins
     * it caused (answers, re-injected frames), and the packet-ins the frame itself caused.
     */
    Verdict feed(OFPort port, byte[] frame) {
        Verdict verdict = table.process(port, frame);
        record(verdict);
        return new Verdict(settle(), verdict.packetIns());
    }

    /** Hands every frame the switch punted to the pipeline, until none is left; what left the ports meanwhile. */
    List<Output> settle() {
        for (int handled = 0; !toController.isEmpty(); handled++) {
            if (handled > LOOP) {
                throw new AssertionError("the switch and the controller loop: " + toController.peek());
            }
            PacketIn in = toController.poll();
            packetIns++;
            record(table.apply(pipeline.packetIn(packetIn(in.cookie(), in.table(), in.inPort(), in.frame()))));
        }
        List<Output> left = List.copyOf(out);
        out.clear();
        return left;
    }

    /** PACKET_INs the pipeline handled since the start. */
    long packetIns() {
        return packetIns;
    }

    /** Port security binds {@code mac} to {@code port} on its first frame; afterwards its frames pass without the controller. */
    void bind(OFPort port, MacAddress mac) {
        feed(port, Frames.broadcast(mac));
        assertTrue(table.process(port, Frames.broadcast(mac)).packetIns().isEmpty(), mac + " is bound to " + port);
    }

    private void record(Verdict verdict) {
        out.addAll(verdict.outputs());
        toController.addAll(verdict.packetIns());
    }

    /** The PACKET_IN OVS sends for a frame a flow under {@code cookie} sent to the controller (OpenFlow 1.3.5 §7.4.1). */
    static OFPacketIn packetIn(U64 cookie, TableId table, OFPort inPort, byte[] frame) {
        return OF.buildPacketIn().setBufferId(OFBufferId.NO_BUFFER).setReason(OFPacketInReason.ACTION).setCookie(cookie)
                .setTableId(table).setTotalLen(frame.length)
                .setMatch(OF.buildMatch().setExact(MatchField.IN_PORT, inPort).build()).setData(frame).build();
    }

    /** A port as PORT_DESC and PORT_STATUS describe it. */
    static OFPortDesc port(OFPort number, String name) {
        return OF.buildPortDesc().setPortNo(number).setName(name)
                .setHwAddr(MacAddress.of("02:00:00:00:ff:" + String.format("%02x", number.getPortNumber() & 0xff)))
                .setConfig(Set.of()).setState(Set.of()).build();
    }
}
