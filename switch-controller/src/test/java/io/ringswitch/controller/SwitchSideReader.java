package io.ringswitch.controller;

import io.netty.buffer.ByteBuf;
import io.ringswitch.controller.pipeline.CheckPktLarger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.action.OFActionSetField;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmIpv6Src;

/**
 * Reads what the controller writes as the switch would: Loxi, plus the {@link CheckPktLarger} action
 * that Loxi cannot read. Each such action is swapped in the bytes for a set-field of the same length
 * (24 bytes) that carries its arguments behind a marker, read by Loxi, and swapped back.
 */
final class SwitchSideReader {
    private static final int TYPE_FLOW_MOD = 14;
    private static final byte[] MARKER = {'r', 's', 'c', 'p', 'l', '!', '!', '!'};

    private SwitchSideReader() {
    }

    /** One message from the buffer's reader index. */
    static OFMessage read(ByteBuf buf) throws OFParseError {
        int at = buf.readerIndex();
        int length = buf.getUnsignedShort(at + 2);
        if (buf.getUnsignedByte(at + 1) != TYPE_FLOW_MOD) {
            return OFFactories.getGenericReader().readFrom(buf);
        }
        ByteBuf copy = buf.copy(at, length);
        buf.skipBytes(length);
        boolean swapped = false;
        for (int i = 0; i + 24 <= length; i += 8) {
            if (CheckPktLarger.isCheckPktLarger(copy, i) && copy.getUnsignedShort(i + 2) == 24) {
                int pktLen = copy.getUnsignedShort(i + 10);
                int offset = copy.getUnsignedShort(i + 12);
                long header = copy.getUnsignedInt(i + 14);
                copy.setShort(i, 25).setShort(i + 2, 24).setInt(i + 4, 0x8000_3410);
                copy.setBytes(i + 8, MARKER).setShort(i + 16, pktLen).setShort(i + 18, offset).setInt(i + 20, (int) header);
                swapped = true;
            }
        }
        OFMessage message;
        try {
            message = OFFactories.getGenericReader().readFrom(copy);
        } finally {
            copy.release();
        }
        return swapped ? swapBack((OFFlowMod) message) : message;
    }

    private static OFMessage swapBack(OFFlowMod mod) {
        List<OFInstruction> instructions = new ArrayList<>();
        for (OFInstruction i : mod.getInstructions()) {
            if (i instanceof OFInstructionApplyActions apply) {
                List<OFAction> actions = new ArrayList<>();
                for (OFAction a : apply.getActions()) {
                    actions.add(a instanceof OFActionSetField set && set.getField() instanceof OFOxmIpv6Src src
                            && Arrays.equals(Arrays.copyOf(src.getValue().getBytes(), 8), MARKER) ? unmark(src) : a);
                }
                instructions.add(apply.createBuilder().setActions(actions).build());
            } else {
                instructions.add(i);
            }
        }
        return mod.createBuilder().setInstructions(instructions).build();
    }

    private static CheckPktLarger unmark(OFOxmIpv6Src src) {
        byte[] v = src.getValue().getBytes();
        int pktLen = (v[8] & 0xff) << 8 | (v[9] & 0xff);
        int offset = (v[10] & 0xff) << 8 | (v[11] & 0xff);
        long header = (v[12] & 0xffL) << 24 | (v[13] & 0xffL) << 16 | (v[14] & 0xffL) << 8 | (v[15] & 0xffL);
        return new CheckPktLarger(pktLen, header, offset);
    }
}
