package io.ringswitch.overlay.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TapPort} on a real TAP device, moved into a network namespace of the test's own where
 * pings to a neighbour with a fixed MAC leave through it as Ethernet frames: on the native epoll
 * transport the frames are read on the event loop itself, a backlog in budgeted turns; on NIO by
 * the reader thread that hands them over. Needs root and /dev/net/tun.
 */
class TapPortTest {
    private static final String NEIGHBOUR = "10.99.77.2";
    private static final byte[] NEIGHBOUR_MAC = {2, 0, 0, 0x77, 0, 2};
    private final long pid = ProcessHandle.current().pid() % 100_000;
    private final String ns = "rs-tapt-" + pid;
    private final String name = "rstapt" + pid;
    private final AtomicInteger pings = new AtomicInteger();
    private final AtomicBoolean offLoop = new AtomicBoolean();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private final List<Process> processes = new ArrayList<>();
    private EventLoopGroup group;
    private TapDevice tap;
    private TapPort port;

    @BeforeEach
    void namespace() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/net/tun")), "needs root and /dev/net/tun");
        run("ip", "netns", "add", ns);
    }

    @AfterEach
    void cleanUp() throws Exception {
        processes.forEach(Process::destroyForcibly);
        if (port != null) {
            port.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        if (tap != null) {
            tap.close();
        }
        new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
    }

    @Test
    void onEpollABacklogIsReadOnTheEventLoopInBudgetedTurns() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs the native epoll transport");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        openTap(true);
        // 200 frames wait in the device's queue before the loop watches it: more than one turn's budget.
        assertTrue(ping(200, "0").waitFor(20, TimeUnit.SECONDS), "200 pings sent");

        EventLoop loop = group.next();
        port = TapPort.start(tap, PooledByteBufAllocator.DEFAULT, 64, tap.mtu() + 18, 16, loop,
                batch -> receive(loop, batch));
        await(() -> pings.get() >= 200, "200 pings read from the TAP");
        assertEquals("event-loop", port.readMode());
        assertFalse(offLoop.get(), "every batch runs on the event loop");
        assertTrue(largestBatch.get() <= EventLoopTapReader.MAX_BATCH, "batches of at most " + EventLoopTapReader.MAX_BATCH);
        assertTrue(port.stalls() >= 1, "a backlog larger than the budget is read in more than one turn");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("tap-reader")),
                "no reader thread");

        ping(20, "0.005");
        await(() -> pings.get() >= 220, "pings sent while the loop watches are read too");
    }

    @Test
    void aBacklogOfThreeThousandFramesWaitsInTheDeviceForALateReaderInsteadOfBeingDropped() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs the native epoll transport");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        openTap(true);
        // A node that is late by about a second of 20 Mbit/s multicast (two frames a datagram).
        Process burst = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-q", "-c", "3000", "-l", "3000", "-i", "0",
                "-W", "1", NEIGHBOUR).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(burst);
        assertTrue(burst.waitFor(30, TimeUnit.SECONDS), "3,000 pings sent at once");
        EventLoop loop = group.next();
        port = TapPort.start(tap, PooledByteBufAllocator.DEFAULT, 64, tap.mtu() + 18, 16, loop,
                batch -> receive(loop, batch));
        await(() -> pings.get() >= 3000, "all 3,000 pings read from the TAP (with the kernel's 1,000-frame queue, 2,000 are dropped)");
    }

    @Test
    void onNioAThreadReadsAndHandsBatchesToTheEventLoop() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        openTap(false);
        EventLoop loop = group.next();
        port = TapPort.start(tap, PooledByteBufAllocator.DEFAULT, 64, tap.mtu() + 18, 16, loop,
                batch -> receive(loop, batch));
        assertEquals("thread", port.readMode());
        ping(50, "0.002");
        await(() -> pings.get() >= 50, "50 pings read from the TAP");
        assertFalse(offLoop.get(), "every batch runs on the event loop");
    }

    /** Counts the ICMP frames for the neighbour in {@code batch} and releases them. */
    private void receive(EventLoop loop, List<ByteBuf> batch) {
        if (!loop.inEventLoop()) {
            offLoop.set(true);
        }
        largestBatch.accumulateAndGet(batch.size(), Math::max);
        for (ByteBuf frame : batch) {
            int at = frame.readerIndex();
            boolean toNeighbour = true;
            for (int i = 0; i < NEIGHBOUR_MAC.length; i++) {
                toNeighbour &= frame.getByte(at + i) == NEIGHBOUR_MAC[i];
            }
            if (toNeighbour && frame.getUnsignedShort(at + 12) == 0x0800 && frame.getByte(at + 14 + 9) == 1) {
                pings.incrementAndGet();
            }
            frame.release();
        }
    }

    private void openTap(boolean offloads) throws Exception {
        tap = TapDevice.open(name, 1500, offloads);
        run("ip", "link", "set", "dev", name, "netns", ns);
        inNs("ip", "addr", "add", "10.99.77.1/24", "dev", name);
        inNs("ip", "link", "set", "dev", name, "up");
        inNs("ip", "neigh", "replace", NEIGHBOUR, "lladdr", "02:00:00:77:00:02", "dev", name, "nud", "permanent");
    }

    private Process ping(int count, String interval) throws IOException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-q", "-c", Integer.toString(count), "-i", interval,
                "-W", "1", NEIGHBOUR).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        return p;
    }

    private void inNs(String... command) throws Exception {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = ns;
        System.arraycopy(command, 0, full, 4, command.length);
        run(full);
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
