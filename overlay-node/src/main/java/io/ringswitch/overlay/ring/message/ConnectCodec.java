package io.ringswitch.overlay.ring.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of the CONNECT protocol's payloads (routed as {@link PayloadTypes#CONNECT} and
 * {@link PayloadTypes#CONNECT_REPLY}). Endpoints are written as in {@link RingMessageCodec}.
 *
 * <pre>
 * CONNECT       claim u8 | token u64 | requester address | flags u8 | [via address] | endpoints (0 to MAX_ENDPOINTS)
 * CONNECT_REPLY token u64 | requester address | answerer address | flags u8 | endpoints (0 to MAX_ENDPOINTS)
 *               | [neighbours]
 * flags         CONNECT: bit 0 a via address follows, bit 1 the requester is TCP-only, bit 2 its NAT mapping varies;
 *               CONNECT_REPLY: bit 0 neighbours follow, bit 1 the answerer is TCP-only, bit 2 its mapping varies;
 *               other bits are rejected
 * endpoints     count u8 | (family u8 (4 or 6) | ip 4 or 16 | port u16)*
 * </pre>
 */
public final class ConnectCodec {
    /** Endpoints a CONNECT or its reply lists at most (the bound one and the learned public ones). */
    public static final int MAX_ENDPOINTS = 4;
    static final int FLAG_VIA = 1;
    /** In a CONNECT_REPLY: the answerer's near neighbours follow (for a joiner that cannot reach the answerer itself). */
    static final int FLAG_NEIGHBOURS = 1;
    /** The sender gets no UDP through: it dials TCP itself, and nobody need probe it over UDP. */
    static final int FLAG_TCP_ONLY = 2;
    /** The sender's NAT maps it to a new port per destination: a punch between it and another NAT fails. */
    static final int FLAG_VARIES = 4;

    private ConnectCodec() {
    }

    /**
     * The payload of a CONNECT request: the claim, a token the linking node echoes, the requester
     * and the endpoints it may be reached at (its bound one and those its peers saw), which the
     * answerer probes all at once. A requester still joining has no place on the ring that a
     * reply could be routed to: {@code via} (else {@code null}) names the node it joined through,
     * which hands the reply on over the join link. {@code tcpOnly} and {@code varies} tell the
     * answerer that a UDP punch is pointless (issue 10): it leaves the dialling to the requester,
     * or the requester goes to a relay at once.
     */
    public record Connect(Claim claim, long token, RingAddress requester, RingAddress via,
                          List<InetSocketAddress> endpoints, boolean tcpOnly, boolean varies) {
        public Connect(Claim claim, long token, RingAddress requester, RingAddress via, List<InetSocketAddress> endpoints) {
            this(claim, token, requester, via, endpoints, false, false);
        }
    }

    /**
     * The answer to a CONNECT, routed back to the requester: the token and the answerer's
     * endpoints, which the requester probes while the answerer probes the requester's (hole
     * punching: each side's NAT then has a mapping for the other). Its near neighbours are the
     * candidates for a relay when the punch fails; {@code tcpOnly} and {@code varies} as in
     * {@link Connect}.
     */
    public record ConnectReply(long token, RingAddress requester, RingAddress answerer,
                               List<InetSocketAddress> endpoints, List<Contact> neighbours, boolean tcpOnly,
                               boolean varies) {
        public ConnectReply(long token, RingAddress requester, RingAddress answerer, List<InetSocketAddress> endpoints,
                            List<Contact> neighbours) {
            this(token, requester, answerer, endpoints, neighbours, false, false);
        }
    }

    public static byte[] encodeConnect(Connect connect) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeByte(connect.claim().code()).writeLong(connect.token());
        connect.requester().write(out);
        out.writeByte((connect.via() == null ? 0 : FLAG_VIA) | (connect.tcpOnly() ? FLAG_TCP_ONLY : 0)
                | (connect.varies() ? FLAG_VARIES : 0));
        if (connect.via() != null) {
            connect.via().write(out);
        }
        endpoints(out, connect.endpoints());
        return bytes(out);
    }

    public static Connect decodeConnect(byte[] payload) throws RingMessageCodec.MalformedException {
        try {
            ByteBuf in = Unpooled.wrappedBuffer(payload);
            RingMessageCodec.need(in, 9 + RingAddress.BYTES + 1, "connect");
            Claim claim = RingMessageCodec.claim(in.readUnsignedByte());
            long token = in.readLong();
            RingAddress requester = RingAddress.read(in);
            int flags = in.readUnsignedByte();
            if ((flags & ~(FLAG_VIA | FLAG_TCP_ONLY | FLAG_VARIES)) != 0) {
                throw new RingMessageCodec.MalformedException("unknown connect flags " + flags);
            }
            RingAddress via = null;
            if ((flags & FLAG_VIA) != 0) {
                RingMessageCodec.need(in, RingAddress.BYTES, "connect via");
                via = RingAddress.read(in);
            }
            List<InetSocketAddress> endpoints = readEndpoints(in);
            if (in.isReadable()) {
                throw new RingMessageCodec.MalformedException(in.readableBytes() + " trailing bytes after a connect");
            }
            return new Connect(claim, token, requester, via, endpoints, (flags & FLAG_TCP_ONLY) != 0,
                    (flags & FLAG_VARIES) != 0);
        } catch (IndexOutOfBoundsException e) {
            throw new RingMessageCodec.MalformedException("truncated connect: " + e.getMessage());
        }
    }

    public static byte[] encodeConnectReply(ConnectReply reply) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeLong(reply.token());
        reply.requester().write(out);
        reply.answerer().write(out);
        out.writeByte((reply.neighbours().isEmpty() ? 0 : FLAG_NEIGHBOURS) | (reply.tcpOnly() ? FLAG_TCP_ONLY : 0)
                | (reply.varies() ? FLAG_VARIES : 0));
        endpoints(out, reply.endpoints());
        if (!reply.neighbours().isEmpty()) {
            RingMessageCodec.contacts(out, reply.neighbours());
        }
        return bytes(out);
    }

    public static ConnectReply decodeConnectReply(byte[] payload) throws RingMessageCodec.MalformedException {
        try {
            ByteBuf in = Unpooled.wrappedBuffer(payload);
            RingMessageCodec.need(in, 8 + 2 * RingAddress.BYTES + 1, "connect reply");
            long token = in.readLong();
            RingAddress requester = RingAddress.read(in);
            RingAddress answerer = RingAddress.read(in);
            int flags = in.readUnsignedByte();
            if ((flags & ~(FLAG_NEIGHBOURS | FLAG_TCP_ONLY | FLAG_VARIES)) != 0) {
                throw new RingMessageCodec.MalformedException("unknown connect reply flags " + flags);
            }
            List<InetSocketAddress> endpoints = readEndpoints(in);
            List<Contact> neighbours = (flags & FLAG_NEIGHBOURS) != 0 ? RingMessageCodec.readContacts(in) : List.of();
            if (in.isReadable()) {
                throw new RingMessageCodec.MalformedException(in.readableBytes() + " trailing bytes after a connect reply");
            }
            return new ConnectReply(token, requester, answerer, endpoints, neighbours, (flags & FLAG_TCP_ONLY) != 0,
                    (flags & FLAG_VARIES) != 0);
        } catch (IndexOutOfBoundsException e) {
            throw new RingMessageCodec.MalformedException("truncated connect reply: " + e.getMessage());
        }
    }

    private static byte[] bytes(ByteBuf out) {
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    private static void endpoints(ByteBuf out, List<InetSocketAddress> endpoints) {
        int n = Math.min(endpoints.size(), MAX_ENDPOINTS);
        out.writeByte(n);
        for (int i = 0; i < n; i++) {
            RingMessageCodec.endpoint(out, endpoints.get(i));
        }
    }

    private static List<InetSocketAddress> readEndpoints(ByteBuf in) throws RingMessageCodec.MalformedException {
        RingMessageCodec.need(in, 1, "endpoint count");
        int n = in.readUnsignedByte();
        if (n > MAX_ENDPOINTS) {
            throw new RingMessageCodec.MalformedException(n + " endpoints is over " + MAX_ENDPOINTS);
        }
        List<InetSocketAddress> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            InetSocketAddress e = RingMessageCodec.readEndpoint(in);
            if (e == null) {
                throw new RingMessageCodec.MalformedException("an endpoint list holds no empty endpoint");
            }
            out.add(e);
        }
        return out;
    }

}
