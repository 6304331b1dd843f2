package io.ringswitch.overlay.underlay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Run in a JVM of its own with the node's options: reads into a buffer the size of one epoll
 * receive, on a thread like the event loop's, once per "datagram" as a quiet link does, and
 * prints how often the pool gave the buffer's memory back to the system in between
 * ({@code chunksFreed=N}) and the buffer's largest size class ({@code readBytes=N}).
 */
public final class ReceiveBufferProbe {
    static final int READS = 50;

    private ReceiveBufferProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (!(ByteBufAllocator.DEFAULT instanceof PooledByteBufAllocator pool)) {
            System.out.println("allocator=" + ByteBufAllocator.DEFAULT.getClass().getSimpleName());
            return;
        }
        int[] freed = new int[1];
        Thread loopLike = new DefaultThreadFactory("probe-loop").newThread(() -> {
            for (int i = 0; i < READS; i++) {
                ByteBuf read = pool.ioBuffer(UnderlayTransport.RECEIVE_BUFFER_BYTES);
                read.writeLong(i);
                read.release();
                if (pool.metric().usedDirectMemory() == 0) {
                    freed[0]++;
                }
            }
        });
        loopLike.start();
        loopLike.join();
        System.out.println("allocator=pooled");
        System.out.println("chunksFreed=" + freed[0]);
    }
}
