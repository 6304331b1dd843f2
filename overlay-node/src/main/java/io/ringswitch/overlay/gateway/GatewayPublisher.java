package io.ringswitch.overlay.gateway;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.Periodic;
import io.ringswitch.overlay.ring.Scheduler;
import java.util.function.LongSupplier;

/**
 * This site as a gateway on the ring: puts its record every {@link DhtGatewayRecords#REFRESH_MILLIS},
 * answers probes with what it is now, and at stop puts a withdrawn record so that clients fail over
 * at their next read instead of after the record's time to live.
 *
 * <p>The value stays the same from refresh to refresh (the DHT refreshes the same bytes instead of
 * adding a value): it is made anew only when the load's order of magnitude (a power of two) changed,
 * and then at most once a time to live. The probe answer carries the load of the moment.
 */
public final class GatewayPublisher {
    private final DhtGatewayRecords records;
    private final Scheduler scheduler;
    private final LongSupplier wallClock;
    private final LongSupplier portBytes;
    private GatewayRecord record;
    private long madeAt;
    private long lastBytes = -1;
    private long lastBytesAt;
    /** Written on the loop, read by the registry from any thread (one word). */
    private volatile long load;
    private final CounterDataPoint probesAnswered;
    private Periodic refresh;

    /**
     * @param first     this gateway's record (load 0; its time is taken from {@code wallClock})
     * @param wallClock epoch ms, only to order this gateway's own values in every reader's eyes
     * @param portBytes bytes its gateway port passed so far, both ways (the load is its rate)
     */
    public GatewayPublisher(DhtGatewayRecords records, Scheduler scheduler, LongSupplier wallClock, LongSupplier portBytes,
                            GatewayRecord first, NodeMetrics metrics) {
        this.probesAnswered = GatewayMetrics.PROBES_ANSWERED.in(metrics);
        this.records = records;
        this.scheduler = scheduler;
        this.wallClock = wallClock;
        this.portBytes = portBytes;
        this.record = new GatewayRecord(first.site(), first.address(), first.mac(), first.ipv4(), first.ipv6(), 0,
                wallClock.getAsLong(), false);
        this.madeAt = scheduler.nowMillis();
    }

    public void start() {
        refresh = Periodic.start(scheduler, 0, DhtGatewayRecords.REFRESH_MILLIS, this::refresh);
    }

    private void refresh() {
        measure();
        long now = scheduler.nowMillis();
        if (magnitude(load) != magnitude(record.load()) && now - madeAt >= DhtGatewayRecords.TTL_MILLIS) {
            record = new GatewayRecord(record.site(), record.address(), record.mac(), record.ipv4(), record.ipv6(), load,
                    Math.max(wallClock.getAsLong(), record.publishedAt() + 1), false);
            madeAt = now;
        }
        records.put(record);
    }

    private void measure() {
        long bytes = portBytes.getAsLong();
        long now = scheduler.nowMillis();
        if (lastBytes >= 0 && bytes >= lastBytes && now > lastBytesAt) {
            load = (bytes - lastBytes) * 1000 / (now - lastBytesAt);
        }
        lastBytes = bytes;
        lastBytesAt = now;
    }

    static int magnitude(long bytesPerSecond) {
        return 64 - Long.numberOfLeadingZeros(bytesPerSecond);
    }

    /** The answer to a client's probe. */
    GatewayProbe.Reply answer(long nonce) {
        probesAnswered.inc();
        return new GatewayProbe.Reply(nonce, record.mac(), record.ipv4(), record.ipv6(), load);
    }

    /** Stops refreshing and puts a withdrawn record, newer than every value this gateway put. */
    public void stop() {
        if (refresh != null) {
            refresh.stop();
            refresh = null;
            records.put(record.withdrawnAt(Math.max(wallClock.getAsLong(), record.publishedAt() + 1)));
        }
    }

    public GatewayRecord record() {
        return record;
    }

    /** Bytes a second the gateway port passed over the last refresh period. */
    public long load() {
        return load;
    }

    public long probesAnswered() {
        return probesAnswered.getLongValue();
    }
}
