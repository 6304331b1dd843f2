package io.ringswitch.overlay.tap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames of the TAP device read on the node's own epoll event loop, the one that also writes the
 * UDP socket: the TAP's file descriptor sits in the loop's epoll set beside the sockets (Netty
 * 4.2's {@link EpollIoHandle}), so a frame goes from the TAP read to the UDP send on one thread,
 * with no reader thread to wake and no task to hand over. The descriptor is watched
 * level-triggered: each wake-up reads until none is waiting or {@value #BUDGET} frames were read,
 * in batches of {@value #MAX_BATCH} (one flush of the socket each); frames left over wake the loop
 * again on its next turn, after the sockets it found ready, so that a flood from the bridge cannot
 * starve the ring. The kernel's queue of the TAP device holds (and, when full, drops) what the
 * loop has not yet read.
 */
final class EventLoopTapReader implements EpollIoHandle, TapReader {
    private static final Logger log = LoggerFactory.getLogger(EventLoopTapReader.class);
    static final int MAX_BATCH = 32;
    static final int BUDGET = 2 * MAX_BATCH;

    private final TapDevice tap;
    private final FileDescriptor fd;
    private final TapFrameReader frames;
    private final IoEventLoop loop;
    private final Consumer<List<ByteBuf>> onBatch;
    private IoRegistration registration;
    private volatile long stalls;
    private volatile boolean closed;

    private EventLoopTapReader(TapDevice tap, TapFrameReader frames, IoEventLoop loop, Consumer<List<ByteBuf>> onBatch) {
        this.tap = tap;
        this.fd = new FileDescriptor(tap.fd());
        this.frames = frames;
        this.loop = loop;
        this.onBatch = onBatch;
    }

    /** Whether {@code loop} can watch a foreign file descriptor: an event loop of the native epoll transport. */
    static boolean serves(Object loop) {
        return loop instanceof IoEventLoop io && io.isCompatible(EpollIoHandle.class);
    }

    /**
     * Puts the TAP's descriptor in {@code loop}'s epoll set, watched for reads; {@code onBatch} runs
     * on the loop and owns the buffers it is given.
     *
     * @throws IOException when the loop refuses the descriptor
     */
    static EventLoopTapReader register(TapDevice tap, TapFrameReader frames, IoEventLoop loop,
                                       Consumer<List<ByteBuf>> onBatch) throws IOException {
        EventLoopTapReader reader = new EventLoopTapReader(tap, frames, loop, onBatch);
        try {
            IoRegistration registration = loop.register(reader).get(5, TimeUnit.SECONDS);
            loop.submit(() -> reader.watch(registration)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reader.close();
            throw new IOException("interrupted while registering TAP " + tap.name() + " with the event loop", e);
        } catch (ExecutionException | TimeoutException e) {
            reader.close();
            throw new IOException("the event loop did not take TAP " + tap.name() + ": " + e, e);
        }
        return reader;
    }

    private void watch(IoRegistration registration) {
        this.registration = registration;
        registration.submit(EpollIoOps.EPOLLIN);
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public String mode() {
        return "event-loop";
    }

    /** Wake-ups that ended with their budget spent and frames still waiting. */
    @Override
    public long stalls() {
        return stalls;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (ops.contains(EpollIoOps.EPOLLERR)) {
            // A TAP device reports an error only once it is gone (detached or deleted): every later
            // read would fail at once, and a level-triggered watch would wake the loop for ever.
            log.error("TAP {} reports an error (deleted or detached?): no more frames are read from it", tap.name());
            registration.cancel();
            return;
        }
        int read = 0;
        while (read < BUDGET && !closed) {
            List<ByteBuf> batch = new ArrayList<>(MAX_BATCH);
            ByteBuf frame = null;
            while (batch.size() < MAX_BATCH && (frame = frames.next()) != null) {
                batch.add(frame);
            }
            read += batch.size();
            if (!batch.isEmpty()) {
                onBatch.accept(batch);
            }
            if (frame == null) {
                return;
            }
        }
        if (!closed) {
            stalls++;
        }
    }

    @Override
    public void unregistered() {
        frames.close();
    }

    /**
     * Takes the descriptor out of the loop's epoll set (the device itself stays open: its owner
     * closes it). Called by the node, or by the loop when it shuts down.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (loop.inEventLoop()) {
            cancel();
            return;
        }
        try {
            loop.submit(this::cancel).await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException e) {
            log.debug("TAP {}: the event loop had already stopped", tap.name());
        }
    }

    private void cancel() {
        if (registration != null) {
            registration.cancel();
        }
    }
}
