package io.ringswitch.overlay.ring.echo;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The echo's payload and its bytes, the only place that knows them: one byte kind (0 request,
 * 1 reply), an 8-byte nonce, and one byte for the hops the request took (0 in a request; the ring's
 * hop limit is far below 255). Anything of another length or kind does not decode.
 */
public final class EchoCodec {
    /** The payload's length, fixed. */
    public static final int LENGTH = 10;
    private static final byte REQUEST = 0;
    private static final byte REPLY = 1;

    /** An echo request or reply. */
    public record Echo(boolean reply, long nonce, int requestHops) {
    }

    private EchoCodec() {
    }

    public static byte[] encode(Echo echo) {
        return ByteBuffer.allocate(LENGTH).put(echo.reply() ? REPLY : REQUEST).putLong(echo.nonce())
                .put((byte) Math.min(255, Math.max(0, echo.requestHops()))).array();
    }

    /** The echo in {@code payload}; empty for anything else. */
    public static Optional<Echo> decode(byte[] payload) {
        if (payload == null || payload.length != LENGTH || (payload[0] != REQUEST && payload[0] != REPLY)) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        boolean reply = b.get() == REPLY;
        long nonce = b.getLong();
        int hops = b.get() & 0xff;
        if (!reply && hops != 0) {
            return Optional.empty();
        }
        return Optional.of(new Echo(reply, nonce, hops));
    }
}
