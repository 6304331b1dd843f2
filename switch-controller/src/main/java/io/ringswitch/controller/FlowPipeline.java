package io.ringswitch.controller;

import java.time.Duration;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import java.util.Set;

/**
 * The bridge's flow tables, as a pure translation from intent to OpenFlow 1.3 messages.
 *
 * <pre>
 * table 0 (learn)   prio 200  eth_src multicast          -> drop (no frame may claim a group source)
 *                   prio 100  in_port=P, eth_src=M       -> goto 1        (hard timeout: re-learn)
 *                   prio 0    *                          -> CONTROLLER, goto 1
 * table 1 (forward) prio 100  eth_dst=M                  -> output P      (idle timeout)
 *                   prio 0    *                          -> output ALL (every port but the ingress)
 * </pre>
 * Frames from the overlay port follow the same tables: remote MACs are learned on the overlay
 * port, and unknown or broadcast destinations are flooded to the local ports.
 */
final class FlowPipeline {
    static final TableId LEARN = TableId.of(0);
    static final TableId FORWARD = TableId.of(1);
    static final int PRIO_GUARD = 200;
    static final int PRIO_LEARNED = 100;
    static final int PRIO_MISS = 0;
    /** Marks every flow this controller installs (OpenFlow cookie), so that it can find its own. */
    static final U64 COOKIE = U64.of(0x5253_0001L);
    private static final MacAddress GROUP_BIT = MacAddress.of("01:00:00:00:00:00");

    private final OFFactory of;
    private final int learnHardTimeout;
    private final int forwardIdleTimeout;

    FlowPipeline(OFFactory of, Duration macAging) {
        this.of = of;
        this.learnHardTimeout = (int) macAging.toSeconds();
        this.forwardIdleTimeout = (int) (macAging.toSeconds() + macAging.toSeconds() / 2);
    }

    /** Removes every flow in every table, then installs the table-miss and guard flows. */
    List<OFMessage> reset() {
        return List.of(
                of.buildFlowDelete().setTableId(TableId.ALL).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                        .setMatch(of.buildMatch().build()).build(),
                flowAdd(LEARN, PRIO_GUARD, of.buildMatch().setMasked(MatchField.ETH_SRC, GROUP_BIT, GROUP_BIT).build(),
                        List.of(), 0, 0),
                flowAdd(LEARN, PRIO_MISS, of.buildMatch().build(),
                        List.of(of.instructions().applyActions(List.of(toController())),
                                of.instructions().gotoTable(FORWARD)), 0, 0),
                flowAdd(FORWARD, PRIO_MISS, of.buildMatch().build(),
                        List.of(of.instructions().applyActions(List.of(of.actions().output(OFPort.ALL, 0)))), 0, 0),
                of.buildBarrierRequest().build());
    }

    /** Flows for a MAC address seen on a port: stop sending its frames to the controller, forward to it. */
    List<OFMessage> learned(MacAddress mac, OFPort port) {
        return List.of(
                flowAdd(LEARN, PRIO_LEARNED, of.buildMatch().setExact(MatchField.IN_PORT, port)
                                .setExact(MatchField.ETH_SRC, mac).build(),
                        List.of(of.instructions().gotoTable(FORWARD)), 0, learnHardTimeout),
                flowAdd(FORWARD, PRIO_LEARNED, of.buildMatch().setExact(MatchField.ETH_DST, mac).build(),
                        List.of(of.instructions().applyActions(List.of(of.actions().output(port, 0)))),
                        forwardIdleTimeout, 0));
    }

    /** Removes the flows of a MAC address (it moved, or its port went away). */
    List<OFMessage> forget(MacAddress mac) {
        return List.of(
                of.buildFlowDelete().setTableId(LEARN).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                        .setMatch(of.buildMatch().setExact(MatchField.ETH_SRC, mac).build()).build(),
                of.buildFlowDelete().setTableId(FORWARD).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                        .setMatch(of.buildMatch().setExact(MatchField.ETH_DST, mac).build()).build());
    }

    private OFAction toController() {
        return of.actions().output(OFPort.CONTROLLER, 0xffff);
    }

    private OFMessage flowAdd(TableId table, int priority, Match match, List<OFInstruction> instructions,
                              int idleTimeout, int hardTimeout) {
        return of.buildFlowAdd().setTableId(table).setPriority(priority).setMatch(match)
                .setInstructions(instructions).setIdleTimeout(idleTimeout).setHardTimeout(hardTimeout)
                .setCookie(COOKIE).setBufferId(OFBufferId.NO_BUFFER)
                .setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM)).build();
    }
}
