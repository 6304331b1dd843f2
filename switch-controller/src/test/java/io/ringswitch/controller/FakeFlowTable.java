package io.ringswitch.controller;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionOutput;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionGotoTable;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.Masked;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * A small model of an OpenFlow 1.3 switch's tables and ports, enough to ask "out of which ports
 * does this frame go?". It understands the match fields and instructions the controller uses
 * (in_port, eth_src, eth_dst with masks; apply-actions with output; goto-table), FLOW_MOD add and
 * delete, and PACKET_OUT. Outputs are resolved to the switch's ports as OVS does, following
 * OpenFlow 1.3.5 §4.5 (reserved ports): ALL and FLOOD go to every port but the ingress port, a
 * frame goes back out of its ingress port only through IN_PORT, and an output naming the ingress
 * port itself sends nothing.
 */
final class FakeFlowTable {
    private final List<OFFlowMod> flows = new ArrayList<>();
    private final List<OFPort> ports;

    /** A switch with these ports (in the order outputs are listed). */
    FakeFlowTable(OFPort... ports) {
        this.ports = new ArrayList<>(List.of(ports));
    }

    /** The port is gone from the switch: nothing goes out of it any more. */
    void portDeleted(OFPort port) {
        ports.remove(port);
    }

    /** What the switch did with one frame: sent it to the controller, and out of which of its ports. */
    record Verdict(boolean toController, List<OFPort> outputs) {
        boolean dropped() {
            return !toController && outputs.isEmpty();
        }
    }

    void apply(List<OFMessage> messages) {
        for (OFMessage message : messages) {
            if (message instanceof OFFlowAdd add) {
                flows.removeIf(f -> f.getTableId().equals(add.getTableId()) && f.getPriority() == add.getPriority()
                        && f.getMatch().equals(add.getMatch()));
                flows.add(add);
            } else if (message instanceof OFFlowDelete delete) {
                flows.removeIf(f -> (delete.getTableId().equals(TableId.ALL) || f.getTableId().equals(delete.getTableId()))
                        && covers(delete.getMatch(), f.getMatch()));
            }
        }
    }

    int size() {
        return flows.size();
    }

    Verdict process(OFPort inPort, MacAddress src, MacAddress dst) {
        boolean toController = false;
        List<OFPort> outputs = new ArrayList<>();
        TableId table = TableId.of(0);
        while (table != null) {
            TableId current = table;
            OFFlowMod flow = flows.stream()
                    .filter(f -> f.getTableId().equals(current) && matches(f.getMatch(), inPort, src, dst))
                    .max(Comparator.comparingInt(OFFlowMod::getPriority))
                    .orElse(null);
            table = null;
            if (flow == null) {
                break;
            }
            for (OFInstruction instruction : flow.getInstructions()) {
                if (instruction instanceof OFInstructionApplyActions apply) {
                    for (OFAction action : apply.getActions()) {
                        OFPort port = ((OFActionOutput) action).getPort();
                        if (port.equals(OFPort.CONTROLLER)) {
                            toController = true;
                        } else {
                            outputs.addAll(resolve(port, inPort));
                        }
                    }
                } else if (instruction instanceof OFInstructionGotoTable gotoTable) {
                    table = gotoTable.getTableId();
                }
            }
        }
        return new Verdict(toController, outputs);
    }

    /** Where the switch sends the frame of the PACKET_OUT among {@code messages}. */
    Verdict packetOut(List<OFMessage> messages) {
        OFPacketOut out = (OFPacketOut) messages.stream().filter(m -> m instanceof OFPacketOut).findFirst()
                .orElseThrow(() -> new AssertionError("no PACKET_OUT in " + messages));
        List<OFPort> outputs = new ArrayList<>();
        for (OFAction action : out.getActions()) {
            outputs.addAll(resolve(((OFActionOutput) action).getPort(), out.getInPort()));
        }
        return new Verdict(false, outputs);
    }

    /** The ports an output action sends to, for a frame that came in on {@code inPort}. */
    private List<OFPort> resolve(OFPort port, OFPort inPort) {
        if (port.equals(OFPort.ALL) || port.equals(OFPort.FLOOD)) {
            return ports.stream().filter(p -> !p.equals(inPort)).toList();
        }
        if (port.equals(OFPort.IN_PORT)) {
            return List.of(inPort);
        }
        if (port.equals(inPort) || !ports.contains(port)) {
            return List.of();
        }
        return List.of(port);
    }

    private static boolean matches(Match match, OFPort inPort, MacAddress src, MacAddress dst) {
        return fieldMatches(match, MatchField.IN_PORT, inPort)
                && macMatches(match, MatchField.ETH_SRC, src)
                && macMatches(match, MatchField.ETH_DST, dst);
    }

    private static boolean fieldMatches(Match match, MatchField<OFPort> field, OFPort value) {
        return match.isFullyWildcarded(field) || match.get(field).equals(value);
    }

    private static boolean macMatches(Match match, MatchField<MacAddress> field, MacAddress value) {
        if (match.isFullyWildcarded(field)) {
            return true;
        }
        if (match.isExact(field)) {
            return match.get(field).equals(value);
        }
        Masked<MacAddress> masked = match.getMasked(field);
        long mask = masked.getMask().getLong();
        return (value.getLong() & mask) == (masked.getValue().getLong() & mask);
    }

    /** A non-strict delete's match covers a flow when every field it sets is set equal in the flow. */
    private static boolean covers(Match delete, Match flow) {
        for (MatchField<?> field : delete.getMatchFields()) {
            if (flow.isFullyWildcarded(field) || !delete.get(field).equals(flow.get(field))) {
                return false;
            }
        }
        return true;
    }
}
