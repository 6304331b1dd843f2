package io.ringswitch.controller.pipeline;

import com.google.common.hash.PrimitiveSink;
import io.netty.buffer.ByteBuf;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFActionType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.action.OFActionNicira;

/**
 * Open vSwitch's {@code check_pkt_larger(pktLen)->dst[offset]} (Nicira extension action
 * NXAST_CHECK_PKT_LARGER, OVS 2.12 and later): sets one bit of a field to 1 when the packet is longer
 * than {@code pktLen} bytes and to 0 otherwise, so that a later table can match on it. OVS counts the
 * whole frame, Ethernet header and VLAN tags included, without the 4-byte FCS.
 *
 * <p>OpenFlowJ-Loxi 3.2.1 knows neither how to build nor how to read it, so this class is the action's
 * only codec. Wire layout, from OVS's {@code lib/ofp-actions.c} ({@code struct nx_action_check_pkt_larger}):
 * <pre>
 *  0 type    = 0xffff (OFPAT_EXPERIMENTER)    2 len    = 24
 *  4 vendor  = 0x00002320 (NX_VENDOR_ID)      8 subtype = 49
 * 10 pkt_len                                 12 offset (the bit's offset in dst)
 * 14 dst as a 4-byte NXM/OXM header, then zeros up to 24 bytes
 * </pre>
 * OVS refuses the action when the padding is not zero (OFPERR_NXBRC_MUST_BE_ZERO).
 *
 * @param pktLen    frames longer than this many bytes set the bit
 * @param dstHeader the 32-bit NXM/OXM header of the destination field, e.g. {@link #NXM_NX_REG5}
 * @param offset    the bit of the destination field that holds the result (0 = least significant)
 */
public record CheckPktLarger(int pktLen, long dstHeader, int offset) implements OFActionNicira {
    /** NX_VENDOR_ID. */
    public static final long NICIRA = 0x0000_2320L;
    /** NXAST_CHECK_PKT_LARGER. */
    public static final int SUBTYPE = 49;
    static final int LENGTH = 24;
    /** NXM_NX_REG5: class 0x0001, field 5, 4 bytes, no mask (OVS's {@code meta-flow.h}). */
    public static final long NXM_NX_REG5 = (1L << 16) | (5L << 9) | 4;

    public CheckPktLarger {
        if (pktLen < 0 || pktLen > 0xffff) {
            throw new IllegalArgumentException("pkt_len is 16 bits: " + pktLen);
        }
        if (offset < 0 || offset >= 8 * (int) (dstHeader & 0x7f)) {
            throw new IllegalArgumentException("bit " + offset + " is outside the destination field");
        }
    }

    /**
     * Reads one action at the buffer's reader index (which it passes); null when the action there is
     * no check_pkt_larger, leaving the index where it was.
     */
    public static CheckPktLarger readFrom(ByteBuf bb) throws OFParseError {
        int at = bb.readerIndex();
        if (!isCheckPktLarger(bb, at)) {
            return null;
        }
        if (bb.getUnsignedShort(at + 2) != LENGTH || bb.readableBytes() < LENGTH) {
            throw new OFParseError("check_pkt_larger of length " + bb.getUnsignedShort(at + 2) + ", not " + LENGTH);
        }
        CheckPktLarger action;
        try {
            action = new CheckPktLarger(bb.getUnsignedShort(at + 10), bb.getUnsignedInt(at + 14), bb.getUnsignedShort(at + 12));
        } catch (IllegalArgumentException e) {
            throw new OFParseError(e.getMessage());
        }
        bb.skipBytes(LENGTH);
        return action;
    }

    /** Whether the action at {@code at} is a Nicira check_pkt_larger (its first 10 bytes are readable). */
    public static boolean isCheckPktLarger(ByteBuf bb, int at) {
        return bb.writerIndex() - at >= 10 && bb.getUnsignedShort(at) == 0xffff && bb.getUnsignedInt(at + 4) == NICIRA
                && bb.getUnsignedShort(at + 8) == SUBTYPE;
    }

    @Override
    public void writeTo(ByteBuf bb) {
        bb.writeShort(0xffff).writeShort(LENGTH).writeInt((int) NICIRA).writeShort(SUBTYPE).writeShort(pktLen)
                .writeShort(offset).writeInt((int) dstHeader).writeZero(LENGTH - 18);
    }

    @Override
    public OFActionType getType() {
        return OFActionType.EXPERIMENTER;
    }

    @Override
    public long getExperimenter() {
        return NICIRA;
    }

    @Override
    public int getSubtype() {
        return SUBTYPE;
    }

    @Override
    public OFVersion getVersion() {
        return OFVersion.OF_13;
    }

    /** A record has no builder: make a new one. */
    @Override
    public OFActionNicira.Builder createBuilder() {
        throw new UnsupportedOperationException("CheckPktLarger is a record; construct a new one");
    }

    @Override
    public void putTo(PrimitiveSink sink) {
        sink.putInt(pktLen).putLong(dstHeader).putInt(offset);
    }
}
