package io.ringswitch.overlay.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.util.List;

/**
 * Names of the metrics that several parts of the node share, so that they register the same
 * name with the same labels. A part's own metrics are named where it registers them.
 */
public final class Metrics {
    /** Input refused, by the layer that refused it and why (the reasons the status file has always used). */
    public static final String REFUSED = "ringswitch_refused_total";
    public static final String REFUSED_HELP = "Input refused, by layer and reason.";

    /** Frames carried, by direction and path: {@code ringswitch_frames_total{direction,path}}. */
    public static final String FRAMES = "ringswitch_frames_total";
    public static final String FRAMES_HELP = "Ethernet frames carried, by direction (in from the ring or out to it) and path.";

    /** The frame counter's data point for {@code direction} ({@code in}, {@code out}) over {@code path}. */
    public static CounterKey frames(String direction, String path) {
        return new CounterKey(FRAMES, FRAMES_HELP, List.of("direction", "path"), List.of(direction, path));
    }

    /**
     * Counts one on {@code point} and returns its count, for the refusals that log the first of each
     * kind and then powers of two ({@code Long.bitCount(incremented(p)) == 1}); not for hot paths.
     */
    public static long incremented(CounterDataPoint point) {
        point.inc();
        return point.getLongValue();
    }

    private Metrics() {
    }
}
