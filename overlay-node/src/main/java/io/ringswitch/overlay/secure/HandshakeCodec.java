package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.underlay.WireFormat;
import java.util.Arrays;

/**
 * The link handshake's messages and their bytes; the only place that knows them. Each follows the
 * overlay's envelope ({@link WireFormat}):
 * <pre>
 *  INIT     (0x10)  sender u32 | cookie (16, zeros for none) | Noise message 1 (e, zero padding)
 *  RESPONSE (0x11)  sender u32 | receiver u32 | Noise message 2 (e, ee, s, es, identity)
 *  FINISH   (0x12)  receiver u32 | Noise message 3 (s, se, identity)
 *  COOKIE   (0x13)  receiver u32 | cookie (16)
 * </pre>
 * A sender or receiver is the index a side chose for the session, so that records and replies
 * find it without looking at addresses. The cookie sits outside the Noise message so that an
 * initiator can repeat message 1 with it unchanged.
 */
final class HandshakeCodec {
    static final int INDEX = 4;
    static final int COOKIE = 16;
    static final int KEY = 32;
    static final int TAG = 16;

    /** Noise message 1 with the initiator's index and, under load, the cookie it was given. */
    record Init(int sender, byte[] cookie, byte[] noise) {
        /** The initiator's ephemeral public key: the first 32 bytes of message 1. */
        byte[] ephemeral() {
            return Arrays.copyOf(noise, KEY);
        }

        boolean hasCookie() {
            for (byte b : cookie) {
                if (b != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    record Response(int sender, int receiver, byte[] noise) {
    }

    record Finish(int receiver, byte[] noise) {
    }

    record Cookie(int receiver, byte[] cookie) {
    }

    /** A handshake datagram that does not parse; the caller counts it and drops it. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    private HandshakeCodec() {
    }

    static ByteBuf encode(Init m) {
        ByteBuf b = start(WireFormat.TYPE_HANDSHAKE_INIT, INDEX + COOKIE + m.noise().length);
        return b.writeInt(m.sender()).writeBytes(m.cookie()).writeBytes(m.noise());
    }

    static ByteBuf encode(Response m) {
        ByteBuf b = start(WireFormat.TYPE_HANDSHAKE_RESPONSE, 2 * INDEX + m.noise().length);
        return b.writeInt(m.sender()).writeInt(m.receiver()).writeBytes(m.noise());
    }

    static ByteBuf encode(Finish m) {
        ByteBuf b = start(WireFormat.TYPE_HANDSHAKE_FINISH, INDEX + m.noise().length);
        return b.writeInt(m.receiver()).writeBytes(m.noise());
    }

    static ByteBuf encode(Cookie m) {
        ByteBuf b = start(WireFormat.TYPE_COOKIE, INDEX + COOKIE);
        return b.writeInt(m.receiver()).writeBytes(m.cookie());
    }

    private static ByteBuf start(int type, int length) {
        if (length > WireFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("a handshake message of " + length + " bytes is over the envelope's limit");
        }
        ByteBuf b = Unpooled.buffer(WireFormat.HEADER_LENGTH + length);
        WireFormat.setHeader(b, 0, type, length);
        return b.writerIndex(WireFormat.HEADER_LENGTH);
    }

    /** Message 1 from the body after the envelope (the body's readable bytes). */
    static Init decodeInit(ByteBuf body) throws Malformed {
        need(body, INDEX + COOKIE + KEY, "INIT");
        int sender = body.readInt();
        byte[] cookie = bytes(body, COOKIE);
        return new Init(sender, cookie, bytes(body, body.readableBytes()));
    }

    static Response decodeResponse(ByteBuf body) throws Malformed {
        need(body, 2 * INDEX + KEY + KEY + TAG + TAG, "RESPONSE");
        return new Response(body.readInt(), body.readInt(), bytes(body, body.readableBytes()));
    }

    static Finish decodeFinish(ByteBuf body) throws Malformed {
        need(body, INDEX + KEY + TAG + TAG, "FINISH");
        return new Finish(body.readInt(), bytes(body, body.readableBytes()));
    }

    static Cookie decodeCookie(ByteBuf body) throws Malformed {
        if (body.readableBytes() != INDEX + COOKIE) {
            throw new Malformed("a COOKIE is " + (INDEX + COOKIE) + " bytes, not " + body.readableBytes());
        }
        return new Cookie(body.readInt(), bytes(body, COOKIE));
    }

    /** The receiver index of a RESPONSE, FINISH or COOKIE body, without decoding the rest. */
    static int receiverOf(int type, ByteBuf body) {
        int at = body.readerIndex() + (type == WireFormat.TYPE_HANDSHAKE_RESPONSE ? INDEX : 0);
        return body.readableBytes() >= at - body.readerIndex() + INDEX ? body.getInt(at) : 0;
    }

    private static void need(ByteBuf body, int min, String what) throws Malformed {
        if (body.readableBytes() < min) {
            throw new Malformed("a " + what + " of " + body.readableBytes() + " bytes is shorter than " + min);
        }
    }

    private static byte[] bytes(ByteBuf body, int n) {
        byte[] out = new byte[n];
        body.readBytes(out);
        return out;
    }
}
