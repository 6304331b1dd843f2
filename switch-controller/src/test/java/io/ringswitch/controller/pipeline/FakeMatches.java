package io.ringswitch.controller.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFMatchV3;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.oxm.OFOxm;

/**
 * OpenFlow 1.3 matching on frame bytes: each OXM of a match (OpenFlow 1.3.5 §7.2.3) compared, under
 * its mask, with the field as {@link FrameFields} finds it; a field the frame lacks never matches.
 * Also the prerequisites OVS checks when a flow is added (§7.2.3.6), so that a flow OVS would refuse
 * fails the test that installs it.
 */
final class FakeMatches {
    private FakeMatches() {
    }

    /** One OXM as field number, value and mask (all ones when unmasked). */
    record Oxm(int field, byte[] value, byte[] mask) {
    }

    static List<Oxm> oxms(Match match) {
        List<Oxm> out = new ArrayList<>();
        for (OFOxm<?> oxm : ((OFMatchV3) match).getOxmList()) {
            byte[] raw = FakePacket.bytes(oxm);
            long header = FakePacket.header(raw);
            int field = FrameFields.field(header);
            if (field < 0) {
                throw new AssertionError("the fake switch does not model matches on " + oxm.getMatchField().getName());
            }
            boolean masked = ((header >>> 8) & 1) == 1;
            int length = (int) (header & 0xff);
            int valueLength = masked ? length / 2 : length;
            byte[] value = Arrays.copyOfRange(raw, 4, 4 + valueLength);
            byte[] mask = masked ? Arrays.copyOfRange(raw, 4 + valueLength, 4 + length) : ones(valueLength);
            out.add(new Oxm(field, value, mask));
        }
        return out;
    }

    static boolean matches(Match match, FakePacket packet) {
        for (Oxm oxm : oxms(match)) {
            byte[] actual = packet.read(oxm.field());
            if (actual == null || actual.length != oxm.value().length) {
                return false;
            }
            for (int i = 0; i < actual.length; i++) {
                if (((actual[i] ^ oxm.value()[i]) & oxm.mask()[i]) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether a non-strict modify/delete match covers a flow's match: every field it sets the flow
     * sets at least as narrowly, to a value inside it.
     */
    static boolean covers(Match request, Match flow) {
        List<Oxm> flowOxms = oxms(flow);
        for (Oxm want : oxms(request)) {
            Oxm have = flowOxms.stream().filter(o -> o.field() == want.field()).findFirst().orElse(null);
            if (have == null) {
                return false;
            }
            for (int i = 0; i < want.value().length; i++) {
                if ((want.mask()[i] & ~have.mask()[i]) != 0 || ((want.value()[i] ^ have.value()[i]) & want.mask()[i]) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Fails as OVS's OFPBMC_BAD_PREREQ would (OpenFlow 1.3.5 §7.2.3.6); reads the OXMs, as Loxi hides fields whose prerequisite is missing. */
    static void checkPrerequisites(Match match) {
        Map<Integer, Integer> fields = new HashMap<>();
        for (Oxm oxm : oxms(match)) {
            boolean exact = true;
            for (byte b : oxm.mask()) {
                exact &= b == (byte) 0xff;
            }
            int value = oxm.value().length <= 2 && exact ? new java.math.BigInteger(1, oxm.value()).intValue() : -1;
            fields.put(oxm.field(), value);
        }
        int ethType = fields.getOrDefault(5, -1);
        int proto = fields.getOrDefault(10, -1);
        for (int field : fields.keySet()) {
            int needEthType = field >= 21 && field <= 25 ? 0x0806
                    : field == 11 || field == 12 || field == 19 || field == 20 ? 0x0800
                    : field >= 26 && field <= 33 ? 0x86dd : -1;
            if (needEthType >= 0 && ethType != needEthType) {
                throw new AssertionError("OXM field " + field + " needs eth_type " + Integer.toHexString(needEthType) + ": " + match);
            }
            if (field == 10 && ethType != 0x0800 && ethType != 0x86dd) {
                throw new AssertionError("ip_proto needs eth_type IPv4 or IPv6: " + match);
            }
            int needProto = field == 13 || field == 14 ? 6 : field == 15 || field == 16 ? 17 : field == 19 || field == 20 ? 1
                    : field >= 29 && field <= 33 ? 58 : -1;
            if (needProto >= 0 && proto != needProto) {
                throw new AssertionError("OXM field " + field + " needs ip_proto " + needProto + ": " + match);
            }
            int icmpv6Type = fields.getOrDefault(29, -1);
            if (field == 31 && icmpv6Type != 135 && icmpv6Type != 136) {
                throw new AssertionError("ipv6_nd_target needs icmpv6_type 135 or 136: " + match);
            }
        }
    }

    private static byte[] ones(int n) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) 0xff);
        return out;
    }
}
