package io.ringswitch.overlay.metrics;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads of state an event loop owns, for gauges read at scrape time: directly on the loop (the
 * status snapshot scrapes there), handed to it from any other thread (the operator's HTTP thread).
 * A loop that does not answer in time gives the scrape nothing rather than a stuck endpoint.
 */
public final class LoopReads {
    /** How long a scrape waits for the event loop before it reports nothing for what the loop owns. */
    static final long WAIT_MILLIS = 2000;

    private LoopReads() {
    }

    /** {@code read} on {@code loop}; {@code otherwise} when the loop does not answer in time (stopping, or stuck). */
    public static <T> T read(EventExecutor loop, Supplier<T> read, T otherwise) {
        if (loop.inEventLoop()) {
            return read.get();
        }
        try {
            return loop.submit(read::get).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return otherwise;
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return otherwise;
        }
    }
}
