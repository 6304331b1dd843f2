package io.ringswitch.controller.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Builds the FLOW_MODs of one manager under its cookie: a pure translation from (table, priority,
 * match, what to do) to OpenFlow 1.3 messages, so that managers read as intent.
 */
public final class Flows {
    private final OFFactory of;
    private final U64 cookie;

    public Flows(OFFactory of, U64 cookie) {
        this.of = of;
        this.cookie = cookie;
    }

    public OFFactory factory() {
        return of;
    }

    /** A flow that applies {@code actions} (none: drop) and, when {@code next} is set, goes on to that table. */
    public OFMessage add(TableId table, int priority, Match match, List<OFAction> actions, TableId next) {
        return add(table, priority, match, actions, next, 0L, 0);
    }

    /**
     * As {@link #add(TableId, int, Match, List, TableId)}, metered by {@code meter} (0: none) and
     * removed after {@code idleSeconds} without a hit (0: never).
     */
    public OFMessage add(TableId table, int priority, Match match, List<OFAction> actions, TableId next, long meter,
                         int idleSeconds) {
        List<OFInstruction> instructions = new ArrayList<>(3);
        if (meter != 0) {
            instructions.add(of.instructions().buildMeter().setMeterId(meter).build());
        }
        if (!actions.isEmpty()) {
            instructions.add(of.instructions().applyActions(actions));
        }
        if (next != null) {
            instructions.add(of.instructions().gotoTable(next));
        }
        return of.buildFlowAdd().setTableId(table).setPriority(priority).setMatch(match).setInstructions(instructions)
                .setIdleTimeout(idleSeconds).setCookie(cookie).setBufferId(OFBufferId.NO_BUFFER)
                .setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM)).build();
    }

    /** Deletes this manager's flows in {@code table} that match {@code match} (non-strict). */
    public OFMessage delete(TableId table, Match match) {
        return of.buildFlowDelete().setTableId(table).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                .setCookie(cookie).setCookieMask(U64.NO_MASK).setMatch(match).build();
    }

    /** Deletes exactly one flow of this manager (strict: same priority and match). */
    public OFMessage deleteStrict(TableId table, int priority, Match match) {
        return of.buildFlowDeleteStrict().setTableId(table).setPriority(priority).setOutPort(OFPort.ANY)
                .setOutGroup(OFGroup.ANY).setCookie(cookie).setCookieMask(U64.NO_MASK).setMatch(match).build();
    }

    /** Output to the controller with the whole frame. */
    public OFAction toController() {
        return of.actions().output(OFPort.CONTROLLER, 0xffff);
    }

    public OFAction output(OFPort port) {
        return of.actions().output(port, 0);
    }
}
