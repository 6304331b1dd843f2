package io.ringswitch.overlay;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.tap.TapPort;
import io.ringswitch.overlay.tap.TapQueueDrops;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The data path's figures in the node's registry: segments the coalescer joined before a TAP
 * write, TAP writes and those the kernel refused, the times the TAP reader left frames waiting so
 * that the event loop could serve others, and the frames the TAP device dropped because the reader
 * was late ({@link TapQueueDrops}).
 * They are kept where they happen (the coalescer's and the TAP port's own counts, one word each)
 * and read when the registry is scraped; the status's data-path section reads the same scrape.
 */
final class DataPathMetrics {
    private static final String TAP = "ringswitch_tap_writes_total";
    private static final String TAP_HELP = "Writes to the TAP device through the coalescer, and those the kernel refused.";
    static final CounterKey JOINED = new CounterKey("ringswitch_tap_segments_joined_total",
            "Received TCP segments joined into super-frames before the TAP write.", List.of(), List.of());
    static final CounterKey WRITTEN = CounterKey.of(TAP, TAP_HELP, "outcome", "written");
    static final CounterKey DROPPED = CounterKey.of(TAP, TAP_HELP, "outcome", "dropped");
    static final CounterKey STALLS = new CounterKey("ringswitch_tap_stalls_total",
            "Times the TAP reader left frames waiting for the event loop to serve others (its read budget spent, or its hand-off full).", List.of(), List.of());
    static final CounterKey QUEUE_DROPS = new CounterKey("ringswitch_tap_queue_drops_total",
            "Frames the TAP device dropped because its queue to the node's reader was full (the kernel's TX drops).",
            List.of(), List.of());

    private DataPathMetrics() {
    }

    /** Registers the data path's counts, read from {@code frames}, {@code tapPort} and {@code queueDrops} at scrape time. */
    static void register(NodeMetrics metrics, FramePath frames, TapPort tapPort, TapQueueDrops queueDrops) {
        counter(metrics, JOINED, frames::joined);
        metrics.registry().register(CounterWithCallback.builder().name(TAP).help(TAP_HELP).labelNames("outcome")
                .callback(cb -> {
                    cb.call(frames.written(), "written");
                    cb.call(frames.tapWriteDrops(), "dropped");
                }).build());
        counter(metrics, STALLS, tapPort::stalls);
        counter(metrics, QUEUE_DROPS, queueDrops::dropped);
    }

    private static void counter(NodeMetrics metrics, CounterKey key, LongSupplier read) {
        metrics.registry().register(CounterWithCallback.builder().name(key.name()).help(key.help())
                .callback(cb -> cb.call(read.getAsLong())).build());
    }

    /** The status's data-path section, its counts from {@code scrape}. */
    static NodeStatus.DataPathStats stats(MetricsSnapshot scrape, String transport, boolean gso, boolean tapOffloads) {
        return new NodeStatus.DataPathStats(transport, gso, tapOffloads, scrape.get(JOINED), scrape.get(WRITTEN),
                scrape.get(DROPPED), scrape.get(STALLS), scrape.get(QUEUE_DROPS));
    }
}
