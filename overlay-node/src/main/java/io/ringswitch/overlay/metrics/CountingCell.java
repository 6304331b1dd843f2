package io.ringswitch.overlay.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * A counter's data point that is only counted, in no registry: a plain cell for the nodes of
 * {@link NodeMetrics#countedOnly()}, which the simulator runs by the 100,000 on one thread. A
 * registered data point costs about 180 bytes (its adders for whole and fractional increments,
 * its label values and the map entry that finds it) and a compare-and-swap per increment; 84 of
 * them a node were a third of a simulated node's heap. Refuses what a registered counter refuses
 * (a negative increment), and counts whole and fractional increments apart as it does.
 */
public final class CountingCell implements CounterDataPoint {
    private long count;
    private double fraction;

    @Override
    public void inc() {
        count++;
    }

    @Override
    public void inc(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("a counter cannot go down: " + amount);
        }
        count += amount;
    }

    @Override
    public void inc(double amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("a counter cannot go down: " + amount);
        }
        fraction += amount;
    }

    @Override
    public void incWithExemplar(double amount, Labels labels) {
        inc(amount);
    }

    @Override
    public double get() {
        return count + fraction;
    }

    @Override
    public long getLongValue() {
        return count + (long) fraction;
    }
}
