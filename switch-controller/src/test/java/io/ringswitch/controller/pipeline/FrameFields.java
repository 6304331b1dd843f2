package io.ringswitch.controller.pipeline;

import java.util.Map;

/**
 * Where the header fields the controller matches, sets and moves sit in an Ethernet frame, keyed by
 * their OXM header (OpenFlow 1.3.5 §7.2.3.7, class OFPXMC_OPENFLOW_BASIC) or their Nicira NXM
 * header (as OVS's {@code NXAST_REG_MOVE} accepts both). A field is absent when its prerequisites
 * fail (an ARP field of an IPv4 frame), as OVS's flow extraction makes it. Untagged frames only.
 */
final class FrameFields {
    static final int OXM_BASIC = 0x8000;
    /** Pseudo-fields that live beside the frame, not in it. */
    static final int IN_PORT = 0;
    static final int REG0 = 1000;

    private FrameFields() {
    }

    /** Class and field of a 32-bit OXM/NXM header, without the has-mask bit and the length. */
    static int key(long header) {
        return (int) ((header >>> 9) & 0x7f_ffffL);
    }

    /** NXM (class 0 and 1) fields mapped onto their OXM basic field numbers. */
    private static final Map<Integer, Integer> NXM = Map.ofEntries(
            Map.entry(0x0_01, 3), Map.entry(0x0_02, 4), Map.entry(0x0_03, 5), Map.entry(0x0_06, 10),
            Map.entry(0x0_07, 11), Map.entry(0x0_08, 12), Map.entry(0x0_0b, 15), Map.entry(0x0_0c, 16),
            Map.entry(0x0_0f, 21), Map.entry(0x0_10, 22), Map.entry(0x0_11, 23),
            Map.entry((1 << 7) | 17, 24), Map.entry((1 << 7) | 18, 25), Map.entry((1 << 7) | 19, 26),
            Map.entry((1 << 7) | 20, 27), Map.entry((1 << 7) | 21, 29), Map.entry((1 << 7) | 23, 31));

    /**
     * The OXM basic field number of a header, {@link #REG0}+n for Nicira register n, or -1 for a
     * field this model does not know.
     */
    static int field(long header) {
        int key = key(header);
        int cls = key >>> 7;
        int field = key & 0x7f;
        if (cls == OXM_BASIC) {
            return field;
        }
        if (cls == 1 && field < 8) {
            return REG0 + field;
        }
        if (cls == 0 && field == 0) {
            return IN_PORT;
        }
        return NXM.getOrDefault(key, -1);
    }

    /** Offset and length of an in-frame field, or null when the frame does not carry it. */
    record Location(int offset, int length) {
    }

    static Location locate(int field, byte[] f) {
        if (f.length < 14) {
            return null;
        }
        int ethType = u16(f, 12);
        switch (field) {
            case 3: return new Location(0, 6);
            case 4: return new Location(6, 6);
            case 5: return new Location(12, 2);
            default: break;
        }
        if (ethType == 0x0806) {
            return f.length < 42 ? null : switch (field) {
                case 21 -> new Location(20, 2);
                case 24 -> new Location(22, 6);
                case 22 -> new Location(28, 4);
                case 25 -> new Location(32, 6);
                case 23 -> new Location(38, 4);
                default -> null;
            };
        }
        if (ethType == 0x0800 && f.length >= 34) {
            int l4 = 14 + (f[14] & 0x0f) * 4;
            int proto = f[23] & 0xff;
            return switch (field) {
                case 10 -> new Location(23, 1);
                case 11 -> new Location(26, 4);
                case 12 -> new Location(30, 4);
                case 15, 16 -> proto == 17 && f.length >= l4 + 8 ? new Location(l4 + (field == 15 ? 0 : 2), 2) : null;
                case 13, 14 -> proto == 6 && f.length >= l4 + 4 ? new Location(l4 + (field == 13 ? 0 : 2), 2) : null;
                case 19, 20 -> proto == 1 && f.length >= l4 + 2 ? new Location(l4 + field - 19, 1) : null;
                default -> null;
            };
        }
        if (ethType == 0x86dd && f.length >= 54) {
            int next = f[20] & 0xff;
            int nextAt = 20;
            int l4 = 54;
            // OVS parses through a hop-by-hop options header (MLD carries one: RFC 2711 router alert).
            if (next == 0 && f.length >= l4 + 8) {
                nextAt = l4;
                next = f[l4] & 0xff;
                l4 += ((f[l4 + 1] & 0xff) + 1) * 8;
            }
            int proto = next;
            return switch (field) {
                case 10 -> new Location(nextAt, 1);
                case 26 -> new Location(22, 16);
                case 27 -> new Location(38, 16);
                case 15, 16 -> proto == 17 && f.length >= l4 + 8 ? new Location(l4 + (field == 15 ? 0 : 2), 2) : null;
                case 29, 30 -> proto == 58 && f.length >= l4 + 4 ? new Location(l4 + field - 29, 1) : null;
                case 31 -> proto == 58 && f.length >= l4 + 24 && ((f[l4] & 0xff) == 135 || (f[l4] & 0xff) == 136)
                        ? new Location(l4 + 8, 16) : null;
                default -> null;
            };
        }
        return null;
    }

    static int u16(byte[] f, int offset) {
        return ((f[offset] & 0xff) << 8) | (f[offset + 1] & 0xff);
    }
}
