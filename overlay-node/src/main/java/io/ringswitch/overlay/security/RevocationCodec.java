package io.ringswitch.overlay.security;

import io.ringswitch.overlay.ring.RingAddress;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of {@link RevocationRecord}s, one or a list (a ring broadcast, a DHT value, the node's
 * file of revocations). The only place that knows their offsets; every length and count is bounded
 * before anything is allocated.
 * <pre>
 *   record: version u8 (1) | revoked at u64 (ms) | ring address (20) | serial length u8 (1..21) | serial (two's
 *           complement, big-endian) | CA signature (64)
 *   list:   count u16 | records, back to back
 * </pre>
 */
public final class RevocationCodec {
    static final int VERSION = 1;
    /** Records in one list at most (a node's file, a broadcast); a DHT value holds what fits in its size. */
    public static final int MAX_RECORDS = 4096;
    /** The largest record: a 21-byte serial. */
    public static final int MAX_RECORD = 1 + 8 + RingAddress.BYTES + 1 + RevocationRecord.MAX_SERIAL + 1
            + RevocationRecord.SIGNATURE;

    private RevocationCodec() {
    }

    /** Bytes that do not parse as a revocation or a list of them. */
    public static final class Malformed extends Exception {
        Malformed(String message) {
            super(message);
        }
    }

    static byte[] body(BigInteger serial, RingAddress address, long revokedAtMillis) {
        byte[] s = serial.toByteArray();
        return ByteBuffer.allocate(1 + 8 + RingAddress.BYTES + 1 + s.length).put((byte) VERSION).putLong(revokedAtMillis)
                .put(address.toBytes()).put((byte) s.length).put(s).array();
    }

    /** One record's bytes. */
    public static byte[] encode(RevocationRecord r) {
        byte[] body = body(r.serial(), r.address(), r.revokedAtMillis());
        return ByteBuffer.allocate(body.length + RevocationRecord.SIGNATURE).put(body).put(r.signature()).array();
    }

    /** A list's bytes. */
    public static byte[] encodeList(List<RevocationRecord> records) {
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("at most " + MAX_RECORDS + " revocations in a list");
        }
        List<byte[]> each = records.stream().map(RevocationCodec::encode).toList();
        ByteBuffer out = ByteBuffer.allocate(2 + each.stream().mapToInt(b -> b.length).sum());
        out.putShort((short) records.size());
        each.forEach(out::put);
        return out.array();
    }

    /** The longest prefix of {@code records} whose list fits in {@code maxBytes}. */
    public static byte[] encodeList(List<RevocationRecord> records, int maxBytes) {
        int n = 0;
        int size = 2;
        while (n < records.size() && n < MAX_RECORDS && size + encode(records.get(n)).length <= maxBytes) {
            size += encode(records.get(n)).length;
            n++;
        }
        return encodeList(records.subList(0, n));
    }

    /** One record from all of {@code bytes}. */
    public static RevocationRecord decode(byte[] bytes) throws Malformed {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        RevocationRecord r = read(in);
        if (in.hasRemaining()) {
            throw new Malformed(in.remaining() + " bytes after the record");
        }
        return r;
    }

    /** A list from all of {@code bytes}. */
    public static List<RevocationRecord> decodeList(byte[] bytes) throws Malformed {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.remaining() < 2) {
            throw new Malformed("no count");
        }
        int count = Short.toUnsignedInt(in.getShort());
        if (count > MAX_RECORDS || count > in.remaining() / (MAX_RECORD - RevocationRecord.MAX_SERIAL)) {
            throw new Malformed(count + " records cannot be in " + in.remaining() + " bytes");
        }
        List<RevocationRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(read(in));
        }
        if (in.hasRemaining()) {
            throw new Malformed(in.remaining() + " bytes after the list");
        }
        return out;
    }

    private static RevocationRecord read(ByteBuffer in) throws Malformed {
        try {
            int version = Byte.toUnsignedInt(in.get());
            if (version != VERSION) {
                throw new Malformed("version " + version);
            }
            long at = in.getLong();
            byte[] address = new byte[RingAddress.BYTES];
            in.get(address);
            int serialLength = Byte.toUnsignedInt(in.get());
            if (serialLength < 1 || serialLength > RevocationRecord.MAX_SERIAL + 1) {
                throw new Malformed("a serial of " + serialLength + " bytes");
            }
            byte[] serial = new byte[serialLength];
            in.get(serial);
            byte[] signature = new byte[RevocationRecord.SIGNATURE];
            in.get(signature);
            return new RevocationRecord(new BigInteger(serial), RingAddress.of(address), at, signature);
        } catch (BufferUnderflowException e) {
            throw new Malformed("truncated");
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage());
        }
    }
}
