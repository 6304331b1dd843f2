package io.ringswitch.overlay.gateway;

import java.nio.ByteBuffer;

/**
 * Gateway probes as ring payloads ({@code PayloadTypes.GATEWAY_PROBE}):
 * <pre>
 * request: kind 1 (1) | nonce (8)
 * reply:   kind 2 (1) | nonce (8) | MAC (6) | IPv4 (4) | flags (1: bit 0 ipv6) | load (8)
 * </pre>
 * Lengths are exact: anything else is malformed.
 */
public final class GatewayProbeCodec {
    static final int REQUEST = 1;
    static final int REPLY = 2;
    static final int REQUEST_LENGTH = 9;
    static final int REPLY_LENGTH = 28;

    private GatewayProbeCodec() {
    }

    public static byte[] encode(GatewayProbe probe) {
        if (probe instanceof GatewayProbe.Request r) {
            return ByteBuffer.allocate(REQUEST_LENGTH).put((byte) REQUEST).putLong(r.nonce()).array();
        }
        GatewayProbe.Reply r = (GatewayProbe.Reply) probe;
        ByteBuffer b = ByteBuffer.allocate(REPLY_LENGTH).put((byte) REPLY).putLong(r.nonce());
        b.put(ByteBuffer.allocate(8).putLong(r.mac()).array(), 2, 6);
        return b.putInt(r.ipv4()).put((byte) (r.ipv6() ? 1 : 0)).putLong(r.load()).array();
    }

    /** The probe, or null when the payload is not one (the caller counts it). */
    public static GatewayProbe decode(byte[] payload) {
        if (payload.length == REQUEST_LENGTH && payload[0] == REQUEST) {
            return new GatewayProbe.Request(ByteBuffer.wrap(payload, 1, 8).getLong());
        }
        if (payload.length != REPLY_LENGTH || payload[0] != REPLY) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload, 1, REPLY_LENGTH - 1);
        long nonce = b.getLong();
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = mac << 8 | (b.get() & 0xff);
        }
        int ipv4 = b.getInt();
        int flags = b.get() & 0xff;
        long load = b.getLong();
        if (flags > 1 || load < 0) {
            return null;
        }
        return new GatewayProbe.Reply(nonce, mac, ipv4, flags == 1, load);
    }
}
