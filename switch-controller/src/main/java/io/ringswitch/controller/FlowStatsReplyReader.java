package io.ringswitch.controller;

import io.netty.buffer.ByteBuf;
import io.ringswitch.controller.pipeline.CheckPktLarger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowStatsEntry;
import org.projectfloodlight.openflow.protocol.OFFlowStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsReplyFlags;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.instruction.OFInstruction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.ver13.OFFactoryVer13;
import org.projectfloodlight.openflow.protocol.ver13.OFFlowModFlagsSerializerVer13;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * Reads an OpenFlow 1.3 FLOW_STATS reply whose flows carry actions Loxi cannot parse: Loxi throws on
 * a Nicira subtype it does not know, such as the {@link CheckPktLarger} the controller installs, and
 * would so lose every counter of the reply. This reader walks the entries itself (OpenFlow 1.3.5
 * §7.3.5.2 {@code ofp_flow_stats}), reads matches, instructions and actions through Loxi one by one, and
 * reads check_pkt_larger with its own codec. Any other unknown action still fails the reply.
 *
 * <p>Loxi's per-object readers ({@code OFActionVer13.READER} and its kin) are public fields of
 * package-private classes; they are looked up once by reflection, as Loxi offers no other way to read
 * one action, instruction or OXM.
 */
final class FlowStatsReplyReader {
    static final int TYPE_MULTIPART_REPLY = 19;
    static final int MULTIPART_FLOW = 1;
    private static final int BODY = 16;
    private static final int ENTRY_FIXED = 48;
    private static final int APPLY_ACTIONS = 4;
    private static final int WRITE_ACTIONS = 3;
    private static final OFFactory OF = OFFactoryVer13.INSTANCE;
    private static final OFMessageReader<OFAction> ACTIONS = reader("OFActionVer13");
    private static final OFMessageReader<OFInstruction> INSTRUCTIONS = reader("OFInstructionVer13");
    private static final OFMessageReader<OFOxm<?>> OXMS = reader("OFOxmVer13");

    private FlowStatsReplyReader() {
    }

    /** Whether {@code message} (one whole OpenFlow message) is an OpenFlow 1.3 FLOW_STATS reply. */
    static boolean isFlowStatsReply(ByteBuf message) {
        int at = message.readerIndex();
        return message.readableBytes() >= BODY && message.getUnsignedByte(at) == 4
                && message.getUnsignedByte(at + 1) == TYPE_MULTIPART_REPLY && message.getUnsignedShort(at + 8) == MULTIPART_FLOW;
    }

    /** Reads one whole FLOW_STATS reply; every length is bounded by the one that contains it. */
    static OFFlowStatsReply read(ByteBuf message) throws OFParseError {
        int at = message.readerIndex();
        int end = at + message.getUnsignedShort(at + 2);
        if (end > message.writerIndex()) {
            throw new OFParseError("FLOW_STATS reply longer than its buffer");
        }
        long xid = message.getUnsignedInt(at + 4);
        boolean more = (message.getUnsignedShort(at + 10) & 1) != 0;
        List<OFFlowStatsEntry> entries = new ArrayList<>();
        int entry = at + BODY;
        while (entry < end) {
            if (end - entry < ENTRY_FIXED + 4) {
                throw new OFParseError("flow stats entry cut short");
            }
            int length = message.getUnsignedShort(entry);
            if (length < ENTRY_FIXED + 8 || entry + length > end) {
                throw new OFParseError("flow stats entry of length " + length);
            }
            entries.add(entry(message.slice(entry, length)));
            entry += length;
        }
        return OF.buildFlowStatsReply().setXid(xid).setFlags(more ? Set.of(OFStatsReplyFlags.REPLY_MORE) : Set.of())
                .setEntries(entries).build();
    }

    private static OFFlowStatsEntry entry(ByteBuf e) throws OFParseError {
        int matchLength = e.getUnsignedShort(ENTRY_FIXED + 2);
        int matchEnd = ENTRY_FIXED + (matchLength + 7) / 8 * 8;
        if (e.getUnsignedShort(ENTRY_FIXED) != 1 || matchLength < 4 || matchEnd > e.writerIndex()) {
            throw new OFParseError("flow stats entry with a bad match (type " + e.getUnsignedShort(ENTRY_FIXED)
                    + ", length " + matchLength + ")");
        }
        return OF.buildFlowStatsEntry()
                .setTableId(TableId.of(e.getUnsignedByte(2)))
                .setDurationSec(e.getUnsignedInt(4)).setDurationNsec(e.getUnsignedInt(8))
                .setPriority(e.getUnsignedShort(12)).setIdleTimeout(e.getUnsignedShort(14))
                .setHardTimeout(e.getUnsignedShort(16)).setFlags(OFFlowModFlagsSerializerVer13.ofWireValue(e.getShort(18)))
                .setCookie(U64.of(e.getLong(24))).setPacketCount(U64.of(e.getLong(32))).setByteCount(U64.of(e.getLong(40)))
                .setMatch(match(e.slice(ENTRY_FIXED + 4, matchLength - 4)))
                .setInstructions(instructions(e.slice(matchEnd, e.writerIndex() - matchEnd)))
                .build();
    }

    /** The OXM TLVs of an {@code ofp_match} (OpenFlow 1.3.5 §7.2.2). */
    private static Match match(ByteBuf oxms) throws OFParseError {
        Match.Builder match = OF.buildMatch();
        while (oxms.isReadable()) {
            OFOxm<?> oxm = OXMS.readFrom(oxms);
            if (oxm == null) {
                throw new OFParseError("OXM cut short");
            }
            setOxm(match, oxm);
        }
        return match.build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void setOxm(Match.Builder match, OFOxm oxm) {
        if (oxm.isMasked()) {
            match.setMasked(oxm.getMatchField(), oxm.getValue(), oxm.getMask());
        } else {
            match.setExact(oxm.getMatchField(), oxm.getValue());
        }
    }

    private static List<OFInstruction> instructions(ByteBuf b) throws OFParseError {
        List<OFInstruction> out = new ArrayList<>();
        while (b.isReadable()) {
            int at = b.readerIndex();
            if (b.readableBytes() < 8) {
                throw new OFParseError("instruction cut short");
            }
            int type = b.getUnsignedShort(at);
            int length = b.getUnsignedShort(at + 2);
            if (length < 8 || length > b.readableBytes()) {
                throw new OFParseError("instruction of length " + length);
            }
            if (type == APPLY_ACTIONS || type == WRITE_ACTIONS) {
                List<OFAction> actions = actions(b.slice(at + 8, length - 8));
                out.add(type == APPLY_ACTIONS ? OF.instructions().applyActions(actions) : OF.instructions().writeActions(actions));
            } else {
                out.add(INSTRUCTIONS.readFrom(b.slice(at, length)));
            }
            b.skipBytes(length);
        }
        return out;
    }

    private static List<OFAction> actions(ByteBuf b) throws OFParseError {
        List<OFAction> out = new ArrayList<>();
        while (b.isReadable()) {
            int at = b.readerIndex();
            int length = b.readableBytes() < 4 ? 0 : b.getUnsignedShort(at + 2);
            if (length < 8 || length > b.readableBytes()) {
                throw new OFParseError("action of length " + length);
            }
            ByteBuf one = b.slice(at, length);
            OFAction action = CheckPktLarger.isCheckPktLarger(one, 0) ? CheckPktLarger.readFrom(one)
                    : ACTIONS.readFrom(one);
            if (action == null) {
                throw new OFParseError("action cut short");
            }
            out.add(action);
            b.skipBytes(length);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static <T> OFMessageReader<T> reader(String ver13Class) {
        try {
            var field = Class.forName("org.projectfloodlight.openflow.protocol.ver13." + ver13Class).getDeclaredField("READER");
            field.setAccessible(true);
            return (OFMessageReader<T>) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
