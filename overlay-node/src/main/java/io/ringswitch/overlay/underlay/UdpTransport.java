package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.link.RingTransport;
import io.ringswitch.overlay.ring.message.RingMessage;

/**
 * The ring's transport on a UDP channel. Inside {@link #batch} messages are only written and the
 * channel is flushed once at the end (a burst of frames from the TAP); outside, each is flushed.
 * Used on the channel's event loop only.
 */
public final class UdpTransport implements RingTransport {
    /** UDP_MAX_SEGMENTS of older kernels. */
    private static final int MAX_GSO_SEGMENTS = 64;
    /** The most one UDP datagram over IPv4 or IPv6 carries, with room to spare for IPv6's larger header. */
    private static final int MAX_GSO_BYTES = 65_000;
    private final Channel channel;
    private final boolean gso;
    private final int sealLead;
    private final int sealTail;
    private boolean batching;

    /** A transport on {@code channel}; {@code gso} when the channel takes UDP GSO (native epoll). */
    public UdpTransport(Channel channel, boolean gso) {
        this(channel, gso, 0, 0);
    }

    /**
     * A transport whose datagrams a handler further down seals in place: each segment of a run
     * gets {@code sealLead} free bytes before its envelope and {@code sealTail} after its payload.
     */
    public UdpTransport(Channel channel, boolean gso, int sealLead, int sealTail) {
        this.channel = channel;
        this.gso = gso;
        this.sealLead = sealLead;
        this.sealTail = sealTail;
    }

    /** Bytes to leave in front of each segment of a run: room for the envelope (and record header). */
    public int segmentLead() {
        return sealLead + WireFormat.HEADER_LENGTH;
    }

    /** Bytes to leave after each segment of a run (the record's tag). */
    public int segmentTail() {
        return sealTail;
    }

    @Override
    public void send(PeerPath path, RingMessage message) {
        if (batching) {
            channel.write(new OutboundMessage(path, message), channel.voidPromise());
        } else {
            channel.writeAndFlush(new OutboundMessage(path, message), channel.voidPromise());
        }
    }

    /**
     * Sends a frame read with {@link WireFormat#HEADROOM} to a linked site as one datagram, the
     * envelope written in place; takes ownership of the buffer. A TCP or relay path takes it as a
     * {@link PathDatagram}, sealed in place like a UDP one.
     */
    public void sendFrame(PeerPath path, ByteBuf frame) {
        ByteBuf datagram = WireFormat.frameDatagram(frame);
        write(path instanceof PeerPath.Udp udp ? new DatagramPacket(datagram, udp.endpoint()) : new PathDatagram(datagram, path));
    }

    /**
     * Sends the segments in {@code segments} (each {@code segmentSize} bytes but the last, each
     * a slot of {@link #segmentLead} free bytes, the frame and {@link #segmentTail} free bytes)
     * to a linked site: with UDP GSO in one {@code sendmsg}, else one datagram each. Takes the
     * buffer.
     */
    public void sendSegments(PeerPath path, ByteBuf segments, int segmentSize) {
        int total = segments.readableBytes();
        int start = segments.readerIndex();
        for (int at = 0; at < total; at += segmentSize) {
            int length = Math.min(segmentSize, total - at);
            WireFormat.setHeader(segments, start + at + sealLead, WireFormat.TYPE_FRAME,
                    length - segmentLead() - sealTail);
        }
        if (gso && total > segmentSize && path instanceof PeerPath.Udp udp) {
            // One sendmsg carries at most 64 segments and one UDP datagram's worth (64 KB) of them.
            int perSend = Math.min(MAX_GSO_SEGMENTS, MAX_GSO_BYTES / segmentSize) * segmentSize;
            for (int at = 0; at < total; at += perSend) {
                ByteBuf run = segments.retainedSlice(start + at, Math.min(perSend, total - at));
                write(new io.netty.channel.epoll.SegmentedDatagramPacket(run, segmentSize, udp.endpoint()));
            }
            segments.release();
            return;
        }
        for (int at = 0; at < total; at += segmentSize) {
            // A duplicate, not a slice: a sealing handler writes just outside the readable bytes.
            int from = start + at + sealLead;
            int to = start + Math.min(at + segmentSize, total) - sealTail;
            ByteBuf segment = segments.retainedDuplicate().setIndex(from, to);
            write(path instanceof PeerPath.Udp udp ? new DatagramPacket(segment, udp.endpoint()) : new PathDatagram(segment, path));
        }
        segments.release();
    }

    private void write(Object packet) {
        if (batching) {
            channel.write(packet, channel.voidPromise());
        } else {
            channel.writeAndFlush(packet, channel.voidPromise());
        }
    }

    /** Runs {@code work}, whose sends are flushed once when it ends. */
    public void batch(Runnable work) {
        batching = true;
        try {
            work.run();
        } finally {
            batching = false;
            channel.flush();
        }
    }
}
