package io.ringswitch.overlay.ring.dht;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes of the DHT messages, the payload of routed messages of type DHT. Every count and length
 * is bounded before anything is allocated, and a message must fill its payload exactly.
 *
 * <pre>
 * REQUEST      1 | id u64 | op u8 (0 get, 1 put, 2 create) | key | ttl u32 | vlen u16 | value
 * REPLY        2 | id u64 | status u8 | request hops u8 | values | holders
 * STORE        3 | count u8 (1..MAX_ENTRIES) | (key | values | holders)*
 * FETCH        4 | id u64 | flags u8 (bit 0: creating) | key
 * FETCH_REPLY  5 | id u64 | flags u8 (bit 0: busy) | values
 * key          len u8 (1..MAX_KEY) | bytes
 * values       count u8 (0..MAX_VALUES) | (ttl u32 ms | len u16 (0..MAX_VALUE) | bytes)*
 * holders      count u8 (0..MAX_HOLDERS) | ring address (20 bytes)*
 * </pre>
 * A get carries no value and a time to live of 0. Times to live are relative, in milliseconds.
 */
final class DhtMessageCodec {
    /** Longest key, in bytes. */
    static final int MAX_KEY = 128;
    /** Largest value, in bytes: a signed record (certificate, signature) around a value; eight of them fill one routed message. */
    static final int MAX_VALUE = 1152;
    /** Most values one key holds (each with its own time to live). */
    static final int MAX_VALUES = 8;
    /** Most holders a store entry names (replicas are at most this many). */
    static final int MAX_HOLDERS = 8;
    /** Most keys in one store message. */
    static final int MAX_ENTRIES = 64;
    /** Largest DHT payload: what one routed message carries, less its source's signature. */
    static final int MAX_MESSAGE = RingMessageCodec.MAX_PROTOCOL_PAYLOAD;
    /** Bytes of a store message before its entries. */
    static final int STORE_HEADER = 2;

    private static final int REQUEST = 1;
    private static final int REPLY = 2;
    private static final int STORE = 3;
    private static final int FETCH = 4;
    private static final int FETCH_REPLY = 5;
    private static final int FLAG = 1;

    private DhtMessageCodec() {
    }

    /** The payload for {@code message}; the caller keeps within the bounds (a store within {@link #MAX_MESSAGE}). */
    static byte[] encode(DhtMessage message) {
        ByteBuf out = Unpooled.buffer(256);
        if (message instanceof DhtMessage.Request m) {
            out.writeByte(REQUEST).writeLong(m.id()).writeByte(m.op().ordinal());
            key(out, m.key());
            out.writeInt((int) m.ttlMillis()).writeShort(m.value().length).writeBytes(m.value());
        } else if (message instanceof DhtMessage.Reply m) {
            out.writeByte(REPLY).writeLong(m.id()).writeByte(m.status().code()).writeByte(Math.min(255, m.requestHops()));
            values(out, m.values());
            int room = MAX_MESSAGE - out.readableBytes() - 1;
            List<RingAddress> holders = m.holders().size() * RingAddress.BYTES <= room
                    && m.holders().size() <= MAX_HOLDERS ? m.holders() : List.of();
            out.writeByte(holders.size());
            holders.forEach(h -> h.write(out));
        } else if (message instanceof DhtMessage.Store m) {
            out.writeByte(STORE).writeByte(m.entries().size());
            for (DhtMessage.Entry e : m.entries()) {
                key(out, e.key());
                values(out, e.values());
                out.writeByte(e.holders().size());
                e.holders().forEach(h -> h.write(out));
            }
        } else if (message instanceof DhtMessage.Fetch m) {
            out.writeByte(FETCH).writeLong(m.id()).writeByte(m.creating() ? FLAG : 0);
            key(out, m.key());
        } else if (message instanceof DhtMessage.FetchReply m) {
            out.writeByte(FETCH_REPLY).writeLong(m.id()).writeByte(m.busy() ? FLAG : 0);
            values(out, m.values());
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** The bytes one entry adds to a store message. */
    static int sizeOf(DhtMessage.Entry entry) {
        return 1 + entry.key().length() + valuesSize(entry.values()) + 1 + entry.holders().size() * RingAddress.BYTES;
    }

    /** The bytes of a list of values. */
    static int valuesSize(List<DhtValue> values) {
        int size = 1;
        for (DhtValue v : values) {
            size += 6 + v.bytes().length;
        }
        return size;
    }

    /** Reads one message that fills {@code payload}; never throws anything but {@link MalformedException}. */
    static DhtMessage decode(byte[] payload) throws MalformedException {
        ByteBuf in = Unpooled.wrappedBuffer(payload);
        try {
            need(in, 1, "type");
            int type = in.readUnsignedByte();
            DhtMessage message = switch (type) {
                case REQUEST -> {
                    need(in, 9, "request");
                    long id = in.readLong();
                    DhtMessage.Op op = DhtMessage.Op.ofCode(in.readUnsignedByte());
                    if (op == null) {
                        throw new MalformedException("unknown DHT operation");
                    }
                    DhtKey key = readKey(in);
                    need(in, 6, "request value header");
                    long ttl = in.readUnsignedInt();
                    byte[] value = readBytes(in, in.readUnsignedShort(), MAX_VALUE, "value");
                    if (op == DhtMessage.Op.GET && (value.length > 0 || ttl != 0)) {
                        throw new MalformedException("a get carries no value and no time to live");
                    }
                    yield new DhtMessage.Request(id, op, key, value, ttl);
                }
                case REPLY -> {
                    need(in, 10, "reply");
                    long id = in.readLong();
                    int code = in.readUnsignedByte();
                    DhtStatus status = DhtStatus.ofCode(code);
                    if (status == null) {
                        throw new MalformedException("unknown DHT status " + code);
                    }
                    int hops = in.readUnsignedByte();
                    List<DhtValue> values = readValues(in);
                    yield new DhtMessage.Reply(id, status, hops, values, readHolders(in));
                }
                case STORE -> {
                    need(in, 1, "store count");
                    int count = in.readUnsignedByte();
                    if (count == 0 || count > MAX_ENTRIES) {
                        throw new MalformedException("a store carries 1 to " + MAX_ENTRIES + " keys, not " + count);
                    }
                    List<DhtMessage.Entry> entries = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        DhtKey key = readKey(in);
                        List<DhtValue> values = readValues(in);
                        entries.add(new DhtMessage.Entry(key, values, readHolders(in)));
                    }
                    yield new DhtMessage.Store(entries);
                }
                case FETCH -> {
                    need(in, 9, "fetch");
                    long id = in.readLong();
                    boolean creating = flag(in.readUnsignedByte());
                    yield new DhtMessage.Fetch(id, readKey(in), creating);
                }
                case FETCH_REPLY -> {
                    need(in, 9, "fetch reply");
                    long id = in.readLong();
                    boolean busy = flag(in.readUnsignedByte());
                    yield new DhtMessage.FetchReply(id, busy, readValues(in));
                }
                default -> throw new MalformedException("unknown DHT message type " + type);
            };
            if (in.isReadable()) {
                throw new MalformedException(in.readableBytes() + " trailing bytes after a DHT message of type " + type);
            }
            return message;
        } catch (IndexOutOfBoundsException e) {
            throw new MalformedException("truncated DHT message: " + e.getMessage());
        }
    }

    private static void key(ByteBuf out, DhtKey key) {
        out.writeByte(key.length()).writeBytes(key.raw());
    }

    private static void values(ByteBuf out, List<DhtValue> values) {
        out.writeByte(values.size());
        for (DhtValue v : values) {
            out.writeInt((int) v.ttlMillis()).writeShort(v.bytes().length).writeBytes(v.bytes());
        }
    }

    private static boolean flag(int flags) throws MalformedException {
        if ((flags & ~FLAG) != 0) {
            throw new MalformedException("unknown DHT flags " + flags);
        }
        return flags == FLAG;
    }

    private static DhtKey readKey(ByteBuf in) throws MalformedException {
        need(in, 1, "key length");
        int length = in.readUnsignedByte();
        if (length == 0) {
            throw new MalformedException("empty DHT key");
        }
        return DhtKey.wrap(readBytes(in, length, MAX_KEY, "key"));
    }

    private static List<DhtValue> readValues(ByteBuf in) throws MalformedException {
        need(in, 1, "value count");
        int count = in.readUnsignedByte();
        if (count > MAX_VALUES) {
            throw new MalformedException(count + " values is over " + MAX_VALUES);
        }
        List<DhtValue> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            need(in, 6, "value header");
            long ttl = in.readUnsignedInt();
            values.add(new DhtValue(readBytes(in, in.readUnsignedShort(), MAX_VALUE, "value"), ttl));
        }
        return values;
    }

    private static List<RingAddress> readHolders(ByteBuf in) throws MalformedException {
        need(in, 1, "holder count");
        int count = in.readUnsignedByte();
        if (count > MAX_HOLDERS) {
            throw new MalformedException(count + " holders is over " + MAX_HOLDERS);
        }
        need(in, count * RingAddress.BYTES, "holders");
        List<RingAddress> holders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            holders.add(RingAddress.read(in));
        }
        return holders;
    }

    private static byte[] readBytes(ByteBuf in, int length, int max, String what) throws MalformedException {
        if (length > max) {
            throw new MalformedException(what + " of " + length + " bytes is over " + max);
        }
        need(in, length, what);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }

    private static void need(ByteBuf in, int bytes, String what) throws MalformedException {
        if (in.readableBytes() < bytes) {
            throw new MalformedException("truncated " + what + ": " + in.readableBytes() + " of " + bytes + " bytes");
        }
    }
}
