package io.ringswitch.controller.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.controller.packet.InternetChecksum;
import java.util.Arrays;
import org.projectfloodlight.openflow.protocol.OFObject;
import org.projectfloodlight.openflow.protocol.action.OFActionNiciraLoad;
import org.projectfloodlight.openflow.protocol.action.OFActionNiciraMove;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * One frame on its way through the fake switch: its bytes (rewritten in place by set-field and
 * register moves, as OVS rewrites the packet it will output), its ingress port and the Nicira
 * registers. As OVS does, setting an IPv4 address fixes the IPv4 header checksum and a UDP checksum
 * (when the datagram has one); other checksums are not recomputed.
 */
final class FakePacket {
    byte[] frame;
    final OFPort inPort;
    final byte[][] regs;

    FakePacket(OFPort inPort, byte[] frame) {
        this(inPort, frame.clone(), new byte[8][4]);
    }

    private FakePacket(OFPort inPort, byte[] frame, byte[][] regs) {
        this.inPort = inPort;
        this.frame = frame;
        this.regs = regs;
    }

    FakePacket copy() {
        byte[][] r = new byte[8][];
        for (int i = 0; i < 8; i++) {
            r[i] = regs[i].clone();
        }
        return new FakePacket(inPort, frame.clone(), r);
    }

    /** The bytes of a field (by OXM basic number or {@link FrameFields#REG0}+n), or null when absent. */
    byte[] read(int field) {
        if (field == FrameFields.IN_PORT) {
            int n = inPort.getPortNumber();
            return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        }
        if (field >= FrameFields.REG0 && field < FrameFields.REG0 + 8) {
            return regs[field - FrameFields.REG0].clone();
        }
        FrameFields.Location at = FrameFields.locate(field, frame);
        return at == null ? null : Arrays.copyOfRange(frame, at.offset(), at.offset() + at.length());
    }

    /** Writes a whole field; fails loudly when the frame lacks it (OVS would refuse such a flow). */
    void write(int field, byte[] value) {
        if (field >= FrameFields.REG0 && field < FrameFields.REG0 + 8) {
            regs[field - FrameFields.REG0] = value.clone();
            return;
        }
        FrameFields.Location at = FrameFields.locate(field, frame);
        if (at == null || at.length() != value.length) {
            throw new AssertionError("cannot set field " + field + " (" + value.length + " bytes) in this frame");
        }
        System.arraycopy(value, 0, frame, at.offset(), value.length);
    }

    /** OpenFlow 1.3 set-field (§7.2.5): the OXM's value replaces the field. */
    void setField(OFOxm<?> oxm) {
        byte[] raw = bytes(oxm);
        long header = header(raw);
        int field = FrameFields.field(header);
        if (field < 0) {
            throw new AssertionError("the fake switch does not model set-field of " + oxm.getMatchField().getName());
        }
        write(field, Arrays.copyOfRange(raw, 4, raw.length));
        if (field == 11 || field == 12) {
            fixIpv4Checksums();
        }
    }

    /** The IPv4 header checksum (RFC 791) and, for UDP with a checksum, the UDP checksum (RFC 768). */
    private void fixIpv4Checksums() {
        ByteBuf b = Unpooled.wrappedBuffer(frame);
        int ihl = (frame[14] & 0x0f) * 4;
        b.setShort(24, 0);
        b.setShort(24, InternetChecksum.finish(
                InternetChecksum.add(0, b, 14, ihl)));
        int udp = 14 + ihl;
        if ((frame[23] & 0xff) != 17 || frame.length < udp + 8 || b.getUnsignedShort(udp + 6) == 0) {
            return;
        }
        int length = b.getUnsignedShort(udp + 4);
        b.setShort(udp + 6, 0);
        long sum = InternetChecksum.add(0, b, 26, 8) + 17 + length;
        int checksum = InternetChecksum.finish(
                InternetChecksum.add(sum, b, udp, length));
        b.setShort(udp + 6, checksum == 0 ? 0xffff : checksum);
    }

    /** Nicira NXAST_REG_MOVE: copies n bits from src[srcOfs..] to dst[dstOfs..] (bit 0 is the least significant). */
    void move(OFActionNiciraMove move) {
        int src = FrameFields.field(move.getSrc());
        int dst = FrameFields.field(move.getDst());
        byte[] from = src < 0 ? null : read(src);
        byte[] to = dst < 0 ? null : read(dst);
        if (from == null || to == null) {
            throw new AssertionError("move between fields the frame lacks: " + move);
        }
        for (int i = 0; i < move.getNBits(); i++) {
            setBit(to, move.getDstOfs() + i, bit(from, move.getSrcOfs() + i));
        }
        write(dst, to);
    }

    /** Nicira NXAST_REG_LOAD: writes {@code value} into bits [ofs, ofs+n) of the field. */
    void load(OFActionNiciraLoad load) {
        int field = FrameFields.field(load.getDst());
        byte[] to = field < 0 ? null : read(field);
        if (to == null) {
            throw new AssertionError("load into a field the frame lacks: " + load);
        }
        int ofs = load.getOfsNbits() >>> 6;
        int nBits = (load.getOfsNbits() & 0x3f) + 1;
        long value = load.getValue().getValue();
        for (int i = 0; i < nBits; i++) {
            setBit(to, ofs + i, ((value >>> i) & 1) == 1);
        }
        write(field, to);
    }

    /**
     * Nicira check_pkt_larger as OVS applies it ({@code ofproto-dpif-xlate.c}): the destination bit is 1
     * when the packet is longer than pkt_len, counting the whole frame without FCS, and 0 otherwise.
     */
    void checkPktLarger(CheckPktLarger check) {
        int field = FrameFields.field(check.dstHeader());
        byte[] to = field < 0 ? null : read(field);
        if (to == null) {
            throw new AssertionError("check_pkt_larger into a field the frame lacks: " + check);
        }
        setBit(to, check.offset(), frame.length > check.pktLen());
        write(field, to);
    }

    static byte[] bytes(OFObject object) {
        ByteBuf buf = Unpooled.buffer();
        object.writeTo(buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    static long header(byte[] raw) {
        return ((raw[0] & 0xffL) << 24) | ((raw[1] & 0xffL) << 16) | ((raw[2] & 0xffL) << 8) | (raw[3] & 0xffL);
    }

    private static boolean bit(byte[] value, int bit) {
        int index = value.length - 1 - bit / 8;
        return ((value[index] >>> (bit % 8)) & 1) == 1;
    }

    private static void setBit(byte[] value, int bit, boolean on) {
        int index = value.length - 1 - bit / 8;
        if (on) {
            value[index] |= (byte) (1 << (bit % 8));
        } else {
            value[index] &= (byte) ~(1 << (bit % 8));
        }
    }
}
