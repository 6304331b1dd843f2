package io.ringswitch.controller.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionGroup;
import org.projectfloodlight.openflow.protocol.action.OFActionNiciraLoad;
import org.projectfloodlight.openflow.protocol.action.OFActionNiciraMove;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * A model of the OpenFlow 1.3 switch that Open vSwitch is to the controller, enough to ask "what
 * comes out of which port when this frame enters port 3?". It keeps flows in numbered tables
 * (highest priority wins, goto-table moves on, a miss drops: OpenFlow 1.3.5 §5.4), groups of type
 * ALL (§5.6.1), meters with a drop band driven by an injectable clock (§5.7), and per-flow packet
 * counts. Matches, set-field, Nicira register moves and check_pkt_larger work on the real frame bytes, located by
 * {@link FrameFields}. Outputs follow OVS: ALL and FLOOD reach every port but the ingress one, an
 * output naming the ingress port sends nothing (only IN_PORT sends a frame back), and group
 * buckets skip the ingress port the same way. A message or action it does not model fails the
 * test loudly instead of being ignored.
 */
public final class FakeFlowTable {
    /** The cookie OVS reports for a packet-in caused by a PACKET_OUT (no flow sent it). */
    public static final U64 NO_FLOW = U64.NO_MASK;

    private final LongSupplier clock;
    private final List<OFPort> ports;
    final List<FakeFlow> flows = new ArrayList<>();
    final Map<OFGroup, OFGroupMod> groups = new LinkedHashMap<>();
    final Map<Long, FakeMeter> meters = new HashMap<>();
    final Map<OFGroup, Long> groupPackets = new HashMap<>();

    /** A switch with these ports (in the order outputs are listed) and a clock that never moves. */
    public FakeFlowTable(OFPort... ports) {
        this(() -> 0L, ports);
    }

    /** A switch whose meters and idle timeouts follow {@code clockMillis}. */
    public FakeFlowTable(LongSupplier clockMillis, OFPort... ports) {
        this.clock = clockMillis;
        this.ports = new ArrayList<>(List.of(ports));
    }

    public void portAdded(OFPort port) {
        if (!ports.contains(port)) {
            ports.add(port);
        }
    }

    /** The port is gone from the switch: nothing goes out of it any more. */
    public void portDeleted(OFPort port) {
        ports.remove(port);
    }

    /** One frame that left the switch. */
    public record Output(OFPort port, byte[] frame) {
    }

    /** One frame sent to the controller, with the cookie of the flow that sent it. */
    public record PacketIn(U64 cookie, TableId table, OFPort inPort, byte[] frame) {
    }

    /** What the switch did with one frame. */
    public record Verdict(List<Output> outputs, List<PacketIn> packetIns) {
        /** The ports the frame left by, in order (a port twice when it was sent twice). */
        public List<OFPort> ports() {
            return outputs.stream().map(Output::port).toList();
        }

        /** The frame that left by {@code port}; fails when none or several did. */
        public byte[] frameOut(OFPort port) {
            List<Output> out = outputs.stream().filter(o -> o.port().equals(port)).toList();
            if (out.size() != 1) {
                throw new AssertionError(out.size() + " frames left port " + port + "; outputs: " + ports());
            }
            return out.get(0).frame();
        }

        public boolean toController() {
            return !packetIns.isEmpty();
        }

        /** Whether a flow under {@code cookie} sent the frame to the controller. */
        public boolean toController(U64 cookie) {
            return packetIns.stream().anyMatch(p -> p.cookie().equals(cookie));
        }

        public boolean dropped() {
            return outputs.isEmpty() && packetIns.isEmpty();
        }

        Verdict plus(Verdict other) {
            List<Output> o = new ArrayList<>(outputs);
            o.addAll(other.outputs);
            List<PacketIn> p = new ArrayList<>(packetIns);
            p.addAll(other.packetIns);
            return new Verdict(o, p);
        }
    }

    /** Applies FLOW_MOD, GROUP_MOD and METER_MOD messages in order; what PACKET_OUTs among them did. */
    public Verdict apply(List<OFMessage> messages) {
        Verdict out = new Verdict(List.of(), List.of());
        for (OFMessage message : messages) {
            out = out.plus(apply(message));
        }
        return out;
    }

    public Verdict apply(OFMessage message) {
        if (message instanceof OFFlowMod mod) {
            FakeSwitchMods.flowMod(this, mod, clock.getAsLong());
        } else if (message instanceof OFGroupMod mod) {
            FakeSwitchMods.groupMod(this, mod);
        } else if (message instanceof OFMeterMod mod) {
            FakeSwitchMods.meterMod(this, mod, clock.getAsLong());
        } else if (message instanceof OFPacketOut out) {
            return packetOut(out);
        }
        return new Verdict(List.of(), List.of());
    }

    /** A frame enters {@code inPort}: table 0 onwards. */
    public Verdict process(OFPort inPort, byte[] frame) {
        Verdict verdict = new Verdict(new ArrayList<>(), new ArrayList<>());
        run(new FakePacket(inPort, frame), TableId.of(0), verdict);
        return verdict;
    }

    /** The switch executes a PACKET_OUT (OpenFlow 1.3.5 §7.3.7); output TABLE runs the pipeline from table 0. */
    public Verdict packetOut(OFPacketOut out) {
        Verdict verdict = new Verdict(new ArrayList<>(), new ArrayList<>());
        execute(out.getActions(), new FakePacket(out.getInPort(), out.getData()), null, verdict);
        return verdict;
    }

    private void run(FakePacket packet, TableId table, Verdict verdict) {
        long now = clock.getAsLong();
        expire(now);
        while (table != null) {
            TableId current = table;
            FakeFlow flow = flows.stream()
                    .filter(f -> f.mod.getTableId().equals(current) && FakeMatches.matches(f.mod.getMatch(), packet))
                    .max(Comparator.comparingInt(f -> f.mod.getPriority()))
                    .orElse(null);
            if (flow == null) {
                return;
            }
            flow.packets++;
            flow.lastHit = now;
            table = null;
            List<OFInstruction> instructions = flow.instructions;
            for (OFInstruction i : instructions) {
                if (i instanceof OFInstructionMeter meter) {
                    FakeMeter m = meters.get(meter.getMeterId());
                    if (m == null) {
                        throw new AssertionError("flow " + flow.mod + " uses meter " + meter.getMeterId() + ", which does not exist");
                    }
                    if (!m.pass(now)) {
                        return;
                    }
                }
            }
            for (OFInstruction i : instructions) {
                if (i instanceof OFInstructionApplyActions apply) {
                    execute(apply.getActions(), packet, flow, verdict);
                } else if (i instanceof OFInstructionGotoTable gotoTable) {
                    table = gotoTable.getTableId();
                } else if (!(i instanceof OFInstructionMeter)) {
                    throw new AssertionError("the fake switch does not model instruction " + i);
                }
            }
        }
    }

    private void execute(List<OFAction> actions, FakePacket packet, FakeFlow flow, Verdict verdict) {
        for (OFAction action : actions) {
            if (action instanceof OFActionOutput output) {
                output(output.getPort(), packet, flow, verdict);
            } else if (action instanceof OFActionSetField set) {
                packet.setField((OFOxm<?>) set.getField());
            } else if (action instanceof OFActionNiciraMove move) {
                packet.move(move);
            } else if (action instanceof OFActionNiciraLoad load) {
                packet.load(load);
            } else if (action instanceof CheckPktLarger check) {
                packet.checkPktLarger(check);
            } else if (action instanceof OFActionGroup group) {
                OFGroupMod mod = groups.get(group.getGroup());
                if (mod == null) {
                    throw new AssertionError("output to group " + group.getGroup() + ", which does not exist");
                }
                groupPackets.merge(group.getGroup(), 1L, Long::sum);
                for (OFBucket bucket : mod.getBuckets()) {
                    execute(bucket.getActions(), packet.copy(), flow, verdict);
                }
            } else {
                throw new AssertionError("the fake switch does not model action " + action);
            }
        }
    }

    private void output(OFPort port, FakePacket packet, FakeFlow flow, Verdict verdict) {
        OFPort in = packet.inPort;
        if (port.equals(OFPort.CONTROLLER)) {
            verdict.packetIns().add(new PacketIn(flow == null ? NO_FLOW : flow.mod.getCookie(),
                    flow == null ? null : flow.mod.getTableId(), in, packet.frame.clone()));
        } else if (port.equals(OFPort.TABLE)) {
            if (flow != null) {
                throw new AssertionError("output TABLE is for PACKET_OUT only");
            }
            run(packet.copy(), TableId.of(0), verdict);
        } else if (port.equals(OFPort.ALL) || port.equals(OFPort.FLOOD)) {
            for (OFPort p : ports) {
                if (!p.equals(in)) {
                    verdict.outputs().add(new Output(p, packet.frame.clone()));
                }
            }
        } else if (port.equals(OFPort.IN_PORT)) {
            verdict.outputs().add(new Output(in, packet.frame.clone()));
        } else if (!port.equals(in) && ports.contains(port)) {
            verdict.outputs().add(new Output(port, packet.frame.clone()));
        }
    }

    /** OFPM_ALL (OpenFlow 1.3.5 §7.3.4.4). */
    static final long ALL_METERS = 0xffff_ffffL;

    private void expire(long now) {
        flows.removeIf(f -> f.mod.getIdleTimeout() > 0 && now - f.lastHit >= f.mod.getIdleTimeout() * 1000L);
    }

    /** How many flows the tables hold (after idle timeouts). */
    public int flowCount() {
        expire(clock.getAsLong());
        return flows.size();
    }

    /** How many flows carry {@code cookie}. */
    public int flowCount(U64 cookie) {
        expire(clock.getAsLong());
        return (int) flows.stream().filter(f -> f.mod.getCookie().equals(cookie)).count();
    }

    /** Packets matched by the flows that carry {@code cookie}. */
    public long packets(U64 cookie) {
        return flows.stream().filter(f -> f.mod.getCookie().equals(cookie)).mapToLong(f -> f.packets).sum();
    }

    /** Packets matched by the flows of one table and priority (a manager's kind of flow). */
    public long packets(TableId table, int priority) {
        return flows.stream().filter(f -> f.mod.getTableId().equals(table) && f.mod.getPriority() == priority)
                .mapToLong(f -> f.packets).sum();
    }

    /** Every flow as table, priority, cookie, match and instructions: two tables holding the same flows give equal sets. */
    public java.util.Set<String> flowDescriptions() {
        return flowDescriptions(null);
    }

    /** As {@link #flowDescriptions()}, of the flows of one manager ({@code owner}: its cookie, any sub-cookie), or all (null). */
    public java.util.Set<String> flowDescriptions(U64 owner) {
        expire(clock.getAsLong());
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (FakeFlow f : flows) {
            if (owner != null && !Cookies.owner(f.mod.getCookie()).equals(owner)) {
                continue;
            }
            out.add(f.mod.getTableId() + " prio=" + f.mod.getPriority() + " cookie=" + f.mod.getCookie() + " " + f.mod.getMatch()
                    + " -> " + f.instructions);
        }
        return out;
    }

    public int groupCount() {
        return groups.size();
    }

    /** The ports a group's buckets output to (the overlay port included), or an empty list when no such group. */
    public List<OFPort> groupPorts(OFGroup group) {
        OFGroupMod mod = groups.get(group);
        return mod == null ? List.of() : mod.getBuckets().stream().flatMap(b -> b.getActions().stream())
                .filter(a -> a instanceof OFActionOutput).map(a -> ((OFActionOutput) a).getPort()).toList();
    }

    public int meterCount() {
        return meters.size();
    }

    public boolean hasMeter(long meterId) {
        return meters.containsKey(meterId);
    }

    /** Packets the meter's drop band dropped. */
    public long meterDrops(long meterId) {
        FakeMeter meter = meters.get(meterId);
        return meter == null ? 0 : meter.dropped;
    }

    /** The switch's replies to the flow, group and meter statistics requests among {@code requests}. */
    public List<org.projectfloodlight.openflow.protocol.OFStatsReply> answer(List<OFMessage> requests) {
        expire(clock.getAsLong());
        List<org.projectfloodlight.openflow.protocol.OFStatsReply> out = new ArrayList<>();
        for (OFMessage request : requests) {
            out.addAll(FakeSwitchStats.answer(this, request));
        }
        return out;
    }

    /** One installed flow, its current instructions and counters. */
    static final class FakeFlow {
        final OFFlowMod mod;
        List<OFInstruction> instructions;
        long packets;
        long lastHit;

        FakeFlow(OFFlowMod mod, long now) {
            this.mod = mod;
            this.instructions = mod.getInstructions();
            this.lastHit = now;
        }

        boolean outputsTo(OFPort port) {
            return instructions.stream().filter(i -> i instanceof OFInstructionApplyActions)
                    .flatMap(i -> ((OFInstructionApplyActions) i).getActions().stream())
                    .anyMatch(a -> a instanceof OFActionOutput o && o.getPort().equals(port));
        }
    }
}
