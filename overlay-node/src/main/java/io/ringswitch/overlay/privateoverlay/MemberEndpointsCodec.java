package io.ringswitch.overlay.privateoverlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of {@link MemberEndpoints}, the value inside a {@code private:} record:
 * <pre>
 * version u8 (1) | count u8 (1..MAX_ENDPOINTS) | (family u8 (4 or 6) | ip 4 or 16 | port u16)*
 * </pre>
 * The count is bounded before anything is allocated, and the value must be filled exactly.
 */
public final class MemberEndpointsCodec {
    /** Endpoints one member publishes at most: its bound one and those its peers saw. */
    public static final int MAX_ENDPOINTS = 4;
    private static final int VERSION = 1;

    private MemberEndpointsCodec() {
    }

    /** The value for {@code member}; endpoints past {@link #MAX_ENDPOINTS} are left out. */
    public static byte[] encode(MemberEndpoints member) {
        ByteBuf out = Unpooled.buffer(2 + MAX_ENDPOINTS * 19);
        int n = Math.min(member.endpoints().size(), MAX_ENDPOINTS);
        out.writeByte(VERSION).writeByte(n);
        for (InetSocketAddress e : member.endpoints().subList(0, n)) {
            byte[] ip = e.getAddress().getAddress();
            out.writeByte(ip.length == 4 ? 4 : 6).writeBytes(ip).writeShort(e.getPort());
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** Reads a value; never throws anything but {@link MalformedException}. */
    public static MemberEndpoints decode(byte[] value) throws MalformedException {
        ByteBuf in = Unpooled.wrappedBuffer(value);
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new MalformedException("private record version " + version);
            }
            int n = in.readUnsignedByte();
            if (n < 1 || n > MAX_ENDPOINTS) {
                throw new MalformedException(n + " endpoints: 1 to " + MAX_ENDPOINTS);
            }
            List<InetSocketAddress> endpoints = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int family = in.readUnsignedByte();
                if (family != 4 && family != 6) {
                    throw new MalformedException("address family " + family);
                }
                byte[] ip = new byte[family == 4 ? 4 : 16];
                in.readBytes(ip);
                int port = in.readUnsignedShort();
                if (port == 0) {
                    throw new MalformedException("port 0");
                }
                endpoints.add(new InetSocketAddress(InetAddress.getByAddress(ip), port));
            }
            if (in.isReadable()) {
                throw new MalformedException(in.readableBytes() + " trailing bytes after the endpoints");
            }
            return new MemberEndpoints(endpoints);
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedException("truncated private record: " + e.getMessage());
        } catch (UnknownHostException e) {
            throw new MalformedException("an address of a wrong length: " + e.getMessage());
        }
    }
}
