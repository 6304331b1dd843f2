package io.ringswitch.controller.pipeline;

import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowModCommand;
import org.projectfloodlight.openflow.protocol.OFGroupMod;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMeterMod;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionMeter;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;

/**
 * How the fake switch applies FLOW_MOD (OpenFlow 1.3.5 §6.4), GROUP_MOD (§7.3.4.2) and METER_MOD
 * (§7.3.4.4) to its state; what it does not model fails the test.
 */
final class FakeSwitchMods {
    private FakeSwitchMods() {
    }

    static void flowMod(FakeFlowTable table, OFFlowMod mod, long now) {
        OFFlowModCommand command = mod.getCommand();
        switch (command) {
            case ADD -> {
                FakeMatches.checkPrerequisites(mod.getMatch());
                checkMeters(table, mod);
                table.flows.removeIf(f -> f.mod.getTableId().equals(mod.getTableId()) && f.mod.getPriority() == mod.getPriority()
                        && f.mod.getMatch().equals(mod.getMatch()));
                table.flows.add(new FakeFlowTable.FakeFlow(mod, now));
            }
            case MODIFY, MODIFY_STRICT -> {
                for (FakeFlowTable.FakeFlow f : table.flows) {
                    if (selected(mod, f, command == OFFlowModCommand.MODIFY_STRICT)) {
                        f.instructions = mod.getInstructions();
                    }
                }
            }
            case DELETE, DELETE_STRICT -> table.flows.removeIf(f -> selected(mod, f, command == OFFlowModCommand.DELETE_STRICT));
            default -> throw new AssertionError("unknown FLOW_MOD command " + command);
        }
    }

    /**
     * OVS refuses a flow that names a meter it does not have (OFPMMFC_INVALID_METER, OpenFlow 1.3.5
     * §7.3.4.4): a manager must not install metered flows before storm control made the port's meters.
     */
    private static void checkMeters(FakeFlowTable table, OFFlowMod mod) {
        for (OFInstruction i : mod.getInstructions()) {
            if (i instanceof OFInstructionMeter meter && !table.meters.containsKey(meter.getMeterId())) {
                throw new AssertionError("the switch refuses " + mod + ": meter " + meter.getMeterId() + " does not exist");
            }
        }
    }

    /** Whether a modify or delete reaches a flow (OpenFlow 1.3.5 §6.4: table, cookie under its mask, match, out_port). */
    private static boolean selected(OFFlowMod mod, FakeFlowTable.FakeFlow flow, boolean strict) {
        OFFlowMod f = flow.mod;
        if (!mod.getTableId().equals(TableId.ALL) && !mod.getTableId().equals(f.getTableId())) {
            return false;
        }
        long mask = mod.getCookieMask().getValue();
        if ((f.getCookie().getValue() & mask) != (mod.getCookie().getValue() & mask)) {
            return false;
        }
        if (strict) {
            return f.getPriority() == mod.getPriority() && f.getMatch().equals(mod.getMatch());
        }
        OFPort outPort = mod.getOutPort();
        if (outPort != null && !outPort.equals(OFPort.ANY) && !flow.outputsTo(outPort)) {
            return false;
        }
        return FakeMatches.covers(mod.getMatch(), f.getMatch());
    }

    static void groupMod(FakeFlowTable table, OFGroupMod mod) {
        switch (mod.getCommand()) {
            case ADD, MODIFY -> {
                if (mod.getGroupType() != OFGroupType.ALL) {
                    throw new AssertionError("the fake switch models groups of type ALL only: " + mod);
                }
                table.groups.put(mod.getGroup(), mod);
            }
            case DELETE -> {
                if (mod.getGroup().equals(OFGroup.ALL)) {
                    table.groups.clear();
                } else {
                    table.groups.remove(mod.getGroup());
                }
            }
            default -> throw new AssertionError("unknown GROUP_MOD command " + mod.getCommand());
        }
    }

    static void meterMod(FakeFlowTable table, OFMeterMod mod, long now) {
        switch (mod.getCommand()) {
            case ADD -> table.meters.put(mod.getMeterId(), new FakeMeter(mod, now));
            case MODIFY -> {
                FakeMeter meter = table.meters.get(mod.getMeterId());
                if (meter == null) {
                    throw new AssertionError("METER_MOD modify of meter " + mod.getMeterId() + ", which does not exist");
                }
                meter.configure(mod, now);
            }
            case DELETE -> {
                if (mod.getMeterId() == FakeFlowTable.ALL_METERS) {
                    table.meters.clear();
                } else {
                    table.meters.remove(mod.getMeterId());
                }
            }
            default -> throw new AssertionError("unknown METER_MOD command " + mod.getCommand());
        }
    }
}
