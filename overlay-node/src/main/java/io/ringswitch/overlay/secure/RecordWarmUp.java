package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.ringswitch.overlay.security.record.RecordCipher;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Turns synthetic frame datagrams into sealed records and back, under a throwaway key that no
 * session ever uses, so that the JIT compiles the record path (AES-GCM with its AES-NI and
 * carry-less-multiply intrinsics, which only C2 uses) before the first real frames need it. The
 * datagrams have the shapes of the real ones: GSO runs sealed in place by
 * {@link SealedDatagrams#seal(RecordCipher, io.netty.channel.socket.DatagramPacket)}, as for a
 * {@code sendSegments} run, opened one by one from slices as the {@link RecordOpener} does, so
 * that the profiles the JIT compiles from are the data path's. Not on the event loop: its
 * ciphers are its own.
 */
public final class RecordWarmUp {
    private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 9);

    private final RecordCipher sealer;
    private final RecordCipher opener;

    /** Ciphers of a key of its own, drawn here and used for nothing else. */
    public RecordWarmUp() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        int receiver = ThreadLocalRandom.current().nextInt();
        RecordCipher.Aead aead = RecordCipher.Aead.preferred();
        this.sealer = new RecordCipher(key, receiver, aead);
        this.opener = new RecordCipher(key, receiver, aead);
    }

    /**
     * Seals a run of segments as {@code UdpTransport.sendSegments} lays them out for a GSO send
     * (each slot {@link #segmentLead()} free bytes, a frame, {@link #segmentTail()} free bytes;
     * the last slot may be shorter), then opens each record again and hands its plaintext (a
     * retained slice, which {@code frames} must release) to {@code frames}. Releases {@code segments}.
     *
     * @return the records that opened (all of them, unless the path is broken)
     * @throws IllegalStateException after {@link RecordCipher#MAX_RECORDS} records under this key
     */
    public int sealAndOpen(ByteBuf segments, int segmentSize, Consumer<ByteBuf> frames) {
        int start = segments.readerIndex();
        int total = segments.readableBytes();
        int opened = 0;
        try {
            for (int at = 0; at < total; at += segmentSize) {
                int length = Math.min(segmentSize, total - at);
                WireFormat.setHeader(segments, start + at + SealedDatagrams.LEAD, WireFormat.TYPE_FRAME,
                        length - segmentLead() - SealedDatagrams.TAIL);
            }
            SegmentedDatagramPacket run = new SegmentedDatagramPacket(segments.retainedSlice(), segmentSize, NOWHERE);
            try {
                SealedDatagrams.seal(sealer, run);
            } finally {
                run.release();
            }
            for (int at = 0; at < total; at += segmentSize) {
                ByteBuf record = segments.retainedSlice(start + at, Math.min(segmentSize, total - at));
                try {
                    if (SealedDatagrams.open(opener, record) == RecordCipher.Result.OPENED) {
                        opened++;
                        frames.accept(SealedDatagrams.plaintext(record));
                    }
                } finally {
                    record.release();
                }
            }
        } finally {
            segments.release();
        }
        return opened;
    }

    /** Free bytes in front of each frame of a run: the record header's room and the envelope. */
    public static int segmentLead() {
        return SealedDatagrams.LEAD + WireFormat.HEADER_LENGTH;
    }

    /** Free bytes behind each frame of a run: the tag's room. */
    public static int segmentTail() {
        return SealedDatagrams.TAIL;
    }
}
