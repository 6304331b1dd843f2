package io.ringswitch.overlay.secure;

import io.netty.buffer.ByteBufHolder;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The datagrams that wait for a session with a peer ({@link Peer#queue}), bounded per peer by
 * count and bytes and for all peers by bytes; when a bound is reached the oldest of the peer's
 * leave first, released and counted by the caller.
 *
 * <p>Frames for a site without a direct link go sealed end to end over the ring, under a session
 * the two sites make over the ring first; a site that starts to send a 20 Mbit/s stream there
 * sends about 3,600 frames a second while that handshake takes a few ring round trips (some
 * hundreds of milliseconds on loaded cores). A queue of 64 lost 1,024 to 2,878 frames of such a
 * stream to one member site in a lab. {@value #PER_PEER} datagrams and {@value #PER_PEER_BYTES}
 * bytes hold about a second of it; {@value #TOTAL_BYTES} bytes for all peers keeps a node that
 * starts sessions with many sites at once within its direct memory. Confined to the event loop.
 */
final class WaitingDatagrams {
    static final int PER_PEER = 2048;
    static final int PER_PEER_BYTES = 3 << 20;
    static final int TOTAL_BYTES = 6 << 20;
    /** What a waiting datagram costs besides its bytes (the buffer's and the queue's own). */
    private static final int OVERHEAD = 64;

    private long total;

    /**
     * Appends {@code packet} to what waits for {@code p}; returns how many of the oldest left to
     * make room (released here).
     */
    int add(Peer p, Object packet) {
        int size = size(packet);
        int dropped = 0;
        while (!p.queue.isEmpty() && (p.queue.size() >= PER_PEER || p.queuedBytes + size > PER_PEER_BYTES
                || total + size > TOTAL_BYTES)) {
            ReferenceCountUtil.release(take(p));
            dropped++;
        }
        if (total + size > TOTAL_BYTES) {
            ReferenceCountUtil.release(packet);
            return dropped + 1;
        }
        p.queue.addLast(packet);
        p.queuedBytes += size;
        total += size;
        return dropped;
    }

    /** Everything that waited for {@code p}, oldest first; nothing waits for it afterwards. */
    List<Object> drain(Peer p) {
        List<Object> all = new ArrayList<>(p.queue);
        p.queue.clear();
        total -= p.queuedBytes;
        p.queuedBytes = 0;
        return all;
    }

    /** Bytes waiting for all peers (with each datagram's overhead). */
    long bytes() {
        return total;
    }

    private Object take(Peer p) {
        Object oldest = p.queue.removeFirst();
        int size = size(oldest);
        p.queuedBytes -= size;
        total -= size;
        return oldest;
    }

    private static int size(Object packet) {
        return OVERHEAD + (packet instanceof ByteBufHolder h ? h.content().readableBytes() : 0);
    }
}
