package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.ringswitch.controller.pipeline.CheckPktLarger;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Tables;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.instruction.OFInstructionApplyActions;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.protocol.oxm.OFOxmReg5;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U32;
import org.projectfloodlight.openflow.types.U64;

/** FLOW_STATS replies that hold check_pkt_larger still reach the statistics, with every field intact. */
class FlowStatsReplyReaderTest {
    private static final OFFactory OF = OFFactories.getFactory(OFVersion.OF_13);
    private static final CheckPktLarger CHECK = new CheckPktLarger(1374, CheckPktLarger.NXM_NX_REG5, 0);

    private static ByteBuf reply(CheckPktLarger action) {
        OFFlowStatsEntry measured = OF.buildFlowStatsEntry().setTableId(Tables.PUNT).setPriority(0).setCookie(Cookies.MTU)
                .setPacketCount(U64.of(41)).setByteCount(U64.of(4100)).setMatch(OF.buildMatch().build())
                .setInstructions(List.of(OF.instructions().applyActions(List.of(action)), OF.instructions().gotoTable(Tables.L2_LOOKUP)))
                .build();
        OFFlowStatsEntry plain = OF.buildFlowStatsEntry().setTableId(Tables.L2_LOOKUP).setPriority(250).setCookie(Cookies.sub(Cookies.MTU, 1))
                .setPacketCount(U64.of(7)).setByteCount(U64.of(9800))
                .setMatch(OF.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(3)).setMasked(MatchField.REG5, U32.of(1), U32.of(1)).build())
                .setInstructions(List.of(OF.instructions().applyActions(List.of(OF.actions().output(OFPort.CONTROLLER, 0xffff)))))
                .build();
        ByteBuf out = Unpooled.buffer();
        OF.buildFlowStatsReply().setXid(77).setFlags(Set.of(OFStatsReplyFlags.REPLY_MORE)).setEntries(List.of(measured, plain))
                .build().writeTo(out);
        return out;
    }

    @Test
    void theActionIsWhatOvsExpectsOnTheWire() throws OFParseError {
        ByteBuf b = Unpooled.buffer();
        CHECK.writeTo(b);
        assertEquals(24, b.readableBytes());
        assertEquals(0xffff, b.getUnsignedShort(0));
        assertEquals(0x2320, b.getInt(4));
        assertEquals(49, b.getUnsignedShort(8));
        assertEquals(1374, b.getUnsignedShort(10));
        ByteBuf reg5 = Unpooled.buffer();
        ((OFOxmReg5) OF.oxms().reg5(U32.of(0))).writeTo(reg5);
        assertEquals(reg5.getUnsignedInt(0), b.getUnsignedInt(14), "dst is Loxi's own NXM header of reg5");
        assertEquals(CHECK, CheckPktLarger.readFrom(b));
    }

    @Test
    void loxiAloneCannotReadSuchAReplyButTheDecoderCan() {
        assertThrows(OFParseError.class, () -> OFFactories.getGenericReader().readFrom(reply(CHECK)));
        ControllerCounters counters = new ControllerCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowMessageDecoder(counters));
        channel.writeInbound(reply(CHECK));
        OFFlowStatsReply parsed = channel.readInbound();
        assertEquals(77, parsed.getXid());
        assertEquals(Set.of(OFStatsReplyFlags.REPLY_MORE), parsed.getFlags());
        assertEquals(2, parsed.getEntries().size());
        OFFlowStatsEntry measured = parsed.getEntries().get(0);
        assertEquals(Cookies.MTU, measured.getCookie());
        assertEquals(41, measured.getPacketCount().getValue());
        assertEquals(List.of(CHECK), ((OFInstructionApplyActions) measured.getInstructions().get(0)).getActions());
        OFFlowStatsEntry plain = parsed.getEntries().get(1);
        assertEquals(7, plain.getPacketCount().getValue());
        assertEquals(OFPort.of(3), plain.getMatch().get(MatchField.IN_PORT));
        assertTrue(plain.getMatch().isPartiallyMasked(MatchField.REG5));
        assertEquals(0, counters.malformed.sum());
        assertFalse(channel.finish());
    }

    /** A switch (or whoever speaks for it) that lies about the action's length gets its reply dropped, not read past. */
    @Test
    void aCheckPktLargerWithAWrongLengthIsRefusedAndCounted() {
        ByteBuf bad = reply(CHECK);
        for (int i = 16; i + 10 <= bad.writerIndex(); i++) {
            if (CheckPktLarger.isCheckPktLarger(bad, i)) {
                bad.setShort(i + 2, 16);
            }
        }
        ControllerCounters counters = new ControllerCounters();
        EmbeddedChannel channel = new EmbeddedChannel(new OpenFlowMessageDecoder(counters));
        channel.writeInbound(bad);
        assertNull(channel.readInbound());
        assertEquals(1, counters.malformed.sum());
        assertTrue(channel.isOpen(), "a well-framed message: the channel stays");
        assertFalse(channel.finish());
    }
}
