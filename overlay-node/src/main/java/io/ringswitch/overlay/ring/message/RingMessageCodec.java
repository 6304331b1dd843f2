package io.ringswitch.overlay.ring.message;

import io.netty.buffer.ByteBuf;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of the ring messages. Every message starts with a type byte and the sender's (or source's)
 * 20-byte address; lists and payloads are bounded before anything is allocated. A contact is its
 * address, an address family byte (4 or 6), the IP and a port.
 *
 * <pre>
 * LINK_REQUEST  1 | from | claim u8 | nonce u64 | contacts
 * LINK_REPLY    2 | from | claim u8 | accepted u8 | nonce u64 | contacts | seen
 * PING / PONG   3,4 | from | nonce u64 | claim u8 (0: none) | seen
 * STATUS        5 | from | claim u8 (0: none) | contacts
 * CLOSE         6 | from | contacts
 * ROUTED        7 | src | dst | mode u8 | ttl u8 | hops u8 | flags u8 | id u64 | ptype u8 | plen u16 | payload
 * HOP_ACK       8 | from | id u64
 * BROADCAST     9 | origin | id u64 | rangeEnd | ttl u8 | ptype u8 | plen u16 | payload
 * flags         bit 0: reliable (acknowledged hop by hop)
 * contacts      count u8 (at most MAX_CONTACTS) | (address | family u8 | ip 4 or 16 | port u16)*
 * seen          family u8 (0: none, then nothing follows; 4 or 6) | ip 4 or 16 | port u16
 * </pre>
 * </pre>
 * The CONNECT protocol's payloads have their own codec, {@link ConnectCodec}.
 */
public final class RingMessageCodec {
    public static final int MAX_CONTACTS = 32;
    /** The most a protocol on the ring (the DHT, CONNECT, ...) puts in one routed message or broadcast. */
    public static final int MAX_PROTOCOL_PAYLOAD = 9300;
    /**
     * The most a source's proof adds to a protocol's payload (a signature's wrapper with a
     * certificate of up to 1,024 bytes: {@code SourceAuthentication}).
     */
    public static final int MAX_SOURCE_PROOF = 1 + 2 + 2 + 1024 + 64;
    /** The largest payload on the wire: a protocol's, with its source's proof. */
    public static final int MAX_PAYLOAD = MAX_PROTOCOL_PAYLOAD + MAX_SOURCE_PROOF;
    /** Bytes a routed message adds in front of its payload. */
    public static final int ROUTED_HEADER = 1 + 20 + 20 + 4 + 8 + 1 + 2;
    static final int LINK_REQUEST = 1;
    static final int LINK_REPLY = 2;
    static final int PING = 3;
    static final int PONG = 4;
    static final int STATUS = 5;
    static final int CLOSE = 6;
    static final int ROUTED = 7;
    static final int HOP_ACK = 8;
    static final int BROADCAST = 9;
    static final int FLAG_RELIABLE = 1;

    /** Input that is no valid ring message; the message says what is wrong. */
    public static final class MalformedException extends Exception {
        public MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    private RingMessageCodec() {
    }

    public static void encode(RingMessage message, ByteBuf out) {
        if (message instanceof RingMessage.LinkRequest m) {
            head(out, LINK_REQUEST, m.from());
            out.writeByte(m.claim().code()).writeLong(m.nonce());
            contacts(out, m.neighbours());
        } else if (message instanceof RingMessage.LinkReply m) {
            head(out, LINK_REPLY, m.from());
            out.writeByte(m.claim().code()).writeByte(m.accepted() ? 1 : 0).writeLong(m.nonce());
            contacts(out, m.neighbours());
            endpoint(out, m.seen());
        } else if (message instanceof RingMessage.Ping m) {
            head(out, PING, m.from());
            out.writeLong(m.nonce()).writeByte(code(m.claim()));
            endpoint(out, m.seen());
        } else if (message instanceof RingMessage.Pong m) {
            head(out, PONG, m.from());
            out.writeLong(m.nonce()).writeByte(code(m.claim()));
            endpoint(out, m.seen());
        } else if (message instanceof RingMessage.Status m) {
            head(out, STATUS, m.from());
            out.writeByte(code(m.claim()));
            contacts(out, m.neighbours());
        } else if (message instanceof RingMessage.Close m) {
            head(out, CLOSE, m.from());
            contacts(out, m.neighbours());
        } else if (message instanceof RingMessage.Routed m) {
            head(out, ROUTED, m.from());
            m.dst().write(out);
            out.writeByte(m.mode().ordinal()).writeByte(m.ttl()).writeByte(m.hops())
                    .writeByte(m.reliable() ? FLAG_RELIABLE : 0).writeLong(m.id());
            out.writeByte(m.payloadType()).writeShort(m.payload().length).writeBytes(m.payload());
        } else if (message instanceof RingMessage.HopAck m) {
            head(out, HOP_ACK, m.from());
            out.writeLong(m.id());
        } else if (message instanceof RingMessage.Broadcast m) {
            head(out, BROADCAST, m.from());
            out.writeLong(m.id());
            m.rangeEnd().write(out);
            out.writeByte(m.ttl()).writeByte(m.payloadType()).writeShort(m.payload().length).writeBytes(m.payload());
        }
    }

    /** The encoded size, computed without encoding (the simulator's byte counts). */
    public static int sizeOf(RingMessage message) {
        int head = 1 + RingAddress.BYTES;
        if (message instanceof RingMessage.LinkRequest m) {
            return head + 9 + contactsSize(m.neighbours());
        } else if (message instanceof RingMessage.LinkReply m) {
            return head + 10 + contactsSize(m.neighbours()) + endpointSize(m.seen());
        } else if (message instanceof RingMessage.Ping m) {
            return head + 9 + endpointSize(m.seen());
        } else if (message instanceof RingMessage.Pong m) {
            return head + 9 + endpointSize(m.seen());
        } else if (message instanceof RingMessage.HopAck) {
            return head + 8;
        } else if (message instanceof RingMessage.Status m) {
            return head + 1 + contactsSize(m.neighbours());
        } else if (message instanceof RingMessage.Close m) {
            return head + contactsSize(m.neighbours());
        } else if (message instanceof RingMessage.Routed m) {
            return ROUTED_HEADER + m.payload().length;
        } else {
            RingMessage.Broadcast m = (RingMessage.Broadcast) message;
            return head + 8 + RingAddress.BYTES + 4 + m.payload().length;
        }
    }

    /** Reads one message that fills {@code in}; never throws anything but {@link MalformedException}. */
    public static RingMessage decode(ByteBuf in) throws MalformedException {
        try {
            need(in, 1 + RingAddress.BYTES, "header");
            int type = in.readUnsignedByte();
            RingAddress from = RingAddress.read(in);
            RingMessage message = switch (type) {
                case LINK_REQUEST -> {
                    need(in, 9, "link request");
                    Claim claim = claim(in.readUnsignedByte());
                    long nonce = in.readLong();
                    yield new RingMessage.LinkRequest(from, claim, nonce, readContacts(in));
                }
                case LINK_REPLY -> {
                    need(in, 10, "link reply");
                    Claim claim = claim(in.readUnsignedByte());
                    boolean accepted = in.readUnsignedByte() != 0;
                    long nonce = in.readLong();
                    List<Contact> neighbours = readContacts(in);
                    yield new RingMessage.LinkReply(from, claim, accepted, nonce, neighbours, readEndpoint(in));
                }
                case PING -> {
                    need(in, 9, "ping");
                    long nonce = in.readLong();
                    Claim claim = optionalClaim(in.readUnsignedByte());
                    yield new RingMessage.Ping(from, nonce, claim, readEndpoint(in));
                }
                case PONG -> {
                    need(in, 9, "pong");
                    long nonce = in.readLong();
                    Claim claim = optionalClaim(in.readUnsignedByte());
                    yield new RingMessage.Pong(from, nonce, claim, readEndpoint(in));
                }
                case STATUS -> {
                    need(in, 1, "status");
                    Claim claim = optionalClaim(in.readUnsignedByte());
                    yield new RingMessage.Status(from, claim, readContacts(in));
                }
                case CLOSE -> new RingMessage.Close(from, readContacts(in));
                case ROUTED -> {
                    need(in, RingAddress.BYTES + 12, "routed header");
                    RingAddress dst = RingAddress.read(in);
                    int modeCode = in.readUnsignedByte();
                    RoutingMode mode = RoutingMode.ofCode(modeCode);
                    if (mode == null) {
                        throw new MalformedException("unknown routing mode " + modeCode);
                    }
                    int ttl = in.readUnsignedByte();
                    int hops = in.readUnsignedByte();
                    int flags = in.readUnsignedByte();
                    if ((flags & ~FLAG_RELIABLE) != 0) {
                        throw new MalformedException("unknown flags " + flags);
                    }
                    long id = in.readLong();
                    need(in, 3, "routed payload header");
                    int ptype = in.readUnsignedByte();
                    yield new RingMessage.Routed(from, dst, mode, ttl, hops, flags == FLAG_RELIABLE, id, ptype,
                            readPayload(in));
                }
                case HOP_ACK -> {
                    need(in, 8, "hop ack");
                    yield new RingMessage.HopAck(from, in.readLong());
                }
                case BROADCAST -> {
                    need(in, 8 + RingAddress.BYTES + 4, "broadcast header");
                    long id = in.readLong();
                    RingAddress end = RingAddress.read(in);
                    int ttl = in.readUnsignedByte();
                    int ptype = in.readUnsignedByte();
                    yield new RingMessage.Broadcast(from, id, end, ttl, ptype, readPayload(in));
                }
                default -> throw new MalformedException("unknown message type " + type);
            };
            if (in.isReadable()) {
                throw new MalformedException(in.readableBytes() + " trailing bytes after a message of type " + type);
            }
            return message;
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedException("truncated: " + e.getMessage());
        }
    }

    /** One endpoint, or family 0 for none. */
    static void endpoint(ByteBuf out, InetSocketAddress endpoint) {
        if (endpoint == null) {
            out.writeByte(0);
            return;
        }
        byte[] ip = endpoint.getAddress().getAddress();
        out.writeByte(ip.length == 4 ? 4 : 6).writeBytes(ip).writeShort(endpoint.getPort());
    }

    private static int endpointSize(InetSocketAddress endpoint) {
        // By the address's class: getAddress() copies the bytes, and sizes are asked three times a
        // message (both ends' link counters and the simulator's traffic meter).
        return endpoint == null ? 1 : 1 + (endpoint.getAddress() instanceof Inet4Address ? 4 : 16) + 2;
    }

    static InetSocketAddress readEndpoint(ByteBuf in) throws MalformedException {
        need(in, 1, "endpoint");
        int family = in.readUnsignedByte();
        return family == 0 ? null : readIpPort(in, family);
    }

    private static InetSocketAddress readIpPort(ByteBuf in, int family) throws MalformedException {
        int ipLength = family == 4 ? 4 : family == 6 ? 16 : -1;
        if (ipLength < 0) {
            throw new MalformedException("unknown address family " + family);
        }
        need(in, ipLength + 2, "endpoint");
        byte[] ip = new byte[ipLength];
        in.readBytes(ip);
        int port = in.readUnsignedShort();
        if (port == 0) {
            throw new MalformedException("endpoint with port 0");
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new MalformedException("bad endpoint address");
        }
    }

    private static void head(ByteBuf out, int type, RingAddress from) {
        out.writeByte(type);
        from.write(out);
    }

    static Claim claim(int code) throws MalformedException {
        Claim claim = Claim.ofCode(code);
        if (claim == null) {
            throw new MalformedException("unknown link claim " + code);
        }
        return claim;
    }

    private static Claim optionalClaim(int code) throws MalformedException {
        return code == 0 ? null : claim(code);
    }

    private static int code(Claim claim) {
        return claim == null ? 0 : claim.code();
    }

    static void need(ByteBuf in, int bytes, String what) throws MalformedException {
        if (in.readableBytes() < bytes) {
            throw new MalformedException("truncated " + what + ": " + in.readableBytes() + " of " + bytes + " bytes");
        }
    }

    private static byte[] readPayload(ByteBuf in) throws MalformedException {
        int length = in.readUnsignedShort();
        if (length > MAX_PAYLOAD) {
            throw new MalformedException("payload of " + length + " bytes is over " + MAX_PAYLOAD);
        }
        need(in, length, "payload");
        byte[] payload = new byte[length];
        in.readBytes(payload);
        return payload;
    }

    static void contacts(ByteBuf out, List<Contact> contacts) {
        int n = Math.min(contacts.size(), MAX_CONTACTS);
        out.writeByte(n);
        for (int i = 0; i < n; i++) {
            Contact c = contacts.get(i);
            c.address().write(out);
            endpoint(out, c.endpoint());
        }
    }

    private static int contactsSize(List<Contact> contacts) {
        int size = 1;
        int n = Math.min(contacts.size(), MAX_CONTACTS);
        for (int i = 0; i < n; i++) {
            size += RingAddress.BYTES + endpointSize(contacts.get(i).endpoint());
        }
        return size;
    }

    static List<Contact> readContacts(ByteBuf in) throws MalformedException {
        need(in, 1, "contact count");
        int n = in.readUnsignedByte();
        if (n > MAX_CONTACTS) {
            throw new MalformedException(n + " contacts is over " + MAX_CONTACTS);
        }
        List<Contact> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            need(in, RingAddress.BYTES + 1, "contact");
            RingAddress address = RingAddress.read(in);
            out.add(new Contact(address, readIpPort(in, in.readUnsignedByte())));
        }
        return out;
    }
}
