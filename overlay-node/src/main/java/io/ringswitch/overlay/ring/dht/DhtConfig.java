package io.ringswitch.overlay.ring.dht;

/**
 * Tunables of a node's DHT. Times are in milliseconds of the node's clock.
 *
 * @param replicas          nodes that hold each key: the one nearest its hash and the next nearest
 * @param maxValueBytes     largest value a node stores (at most {@value DhtMessageCodec#MAX_VALUE})
 * @param maxValuesPerKey   values one key holds, each with its own time to live (at most {@value DhtMessageCodec#MAX_VALUES})
 * @param maxEntries        values a node holds over all keys
 * @param maxTtlMillis      longest time to live a value may ask for
 * @param requestMillis     how long a requester waits for an answer before it asks again
 * @param attempts          how often a requester asks before it gives up
 * @param retryMillis       how long a requester waits after a RETRY answer
 * @param fetchMillis       how long the node nearest a key waits for the other holders' values
 * @param resyncMillis      how soon after a link came or went a holder checks who else should hold its keys
 * @param sweepMillis       how often a holder drops expired values and checks its keys' holders anyway
 * @param handoffMillis     how long a node keeps a key after it found itself no longer among its holders (its view
 *                          may still list a node that died and that it has not yet found dead)
 * @param maxRecordsPerPublisher signed records one publisher may have at this holder, over all keys
 * @param maxBytesPerPublisher   bytes of signed records one publisher may have at this holder
 */
public record DhtConfig(int replicas, int maxValueBytes, int maxValuesPerKey, int maxEntries, long maxTtlMillis,
                        long requestMillis, int attempts, long retryMillis, long fetchMillis, long resyncMillis,
                        long sweepMillis, long handoffMillis, int maxRecordsPerPublisher, long maxBytesPerPublisher) {

    public DhtConfig {
        if (replicas < 1 || replicas > DhtMessageCodec.MAX_HOLDERS - 1) {
            throw new IllegalArgumentException("replicas: 1 to " + (DhtMessageCodec.MAX_HOLDERS - 1) + ", got " + replicas);
        }
        if (maxValueBytes < 1 || maxValueBytes > DhtMessageCodec.MAX_VALUE) {
            throw new IllegalArgumentException("maxValueBytes: 1 to " + DhtMessageCodec.MAX_VALUE);
        }
        if (maxValuesPerKey < 1 || maxValuesPerKey > DhtMessageCodec.MAX_VALUES) {
            throw new IllegalArgumentException("maxValuesPerKey: 1 to " + DhtMessageCodec.MAX_VALUES);
        }
        if (maxEntries < 1 || maxTtlMillis < 1000 || maxTtlMillis > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("maxEntries at least 1, maxTtlMillis 1 s to 49 days");
        }
        if (requestMillis < 1 || attempts < 1 || retryMillis < 1 || fetchMillis < 1 || resyncMillis < 1
                || sweepMillis < 1 || handoffMillis < 0) {
            throw new IllegalArgumentException("DHT times and attempts must be positive");
        }
        if (maxRecordsPerPublisher < 1 || maxBytesPerPublisher < DhtMessageCodec.MAX_VALUE) {
            throw new IllegalArgumentException("maxRecordsPerPublisher at least 1, maxBytesPerPublisher at least one "
                    + "whole record (" + DhtMessageCodec.MAX_VALUE + ")");
        }
    }

    /** The tunables without the per-publisher quotas, which are then the defaults ({@link #PUBLISHER_RECORDS}, {@link #PUBLISHER_BYTES}). */
    public DhtConfig(int replicas, int maxValueBytes, int maxValuesPerKey, int maxEntries, long maxTtlMillis,
                     long requestMillis, int attempts, long retryMillis, long fetchMillis, long resyncMillis,
                     long sweepMillis, long handoffMillis) {
        this(replicas, maxValueBytes, maxValuesPerKey, maxEntries, maxTtlMillis, requestMillis, attempts, retryMillis,
                fetchMillis, resyncMillis, sweepMillis, handoffMillis, PUBLISHER_RECORDS, PUBLISHER_BYTES);
    }

    /**
     * Records one publisher may have at a holder by default. Not the 256 one might pick first: a
     * site that serves DHCP publishes about five records a host (lease, IPv4, IPv6, MAC, name), and
     * in a ring of three every holder holds all of them, so 256 would cap such a site at about 50
     * hosts. 1,024 still leaves a holder's 100,000 values to a hundred publishers at the least.
     */
    public static final int PUBLISHER_RECORDS = 1024;
    /** Bytes one publisher may have at a holder by default: 1,024 records of about 520 bytes (a certificate in each) and room. */
    public static final long PUBLISHER_BYTES = 1L << 20;

    /**
     * Three replicas, 1 KB values, eight values a key, 100,000 values a node, a day's time to live at
     * most, 1,024 records and 1 MB per publisher at each holder.
     */
    public static DhtConfig defaults() {
        return new DhtConfig(3, 1024, 8, 100_000, 86_400_000L, 3000, 3, 500, 1500, 1000, 5000, 30_000);
    }

    public DhtConfig withReplicas(int count) {
        return new DhtConfig(count, maxValueBytes, maxValuesPerKey, maxEntries, maxTtlMillis, requestMillis, attempts,
                retryMillis, fetchMillis, resyncMillis, sweepMillis, handoffMillis, maxRecordsPerPublisher,
                maxBytesPerPublisher);
    }

    public DhtConfig withMaxEntries(int count) {
        return new DhtConfig(replicas, maxValueBytes, maxValuesPerKey, count, maxTtlMillis, requestMillis, attempts,
                retryMillis, fetchMillis, resyncMillis, sweepMillis, handoffMillis, maxRecordsPerPublisher,
                maxBytesPerPublisher);
    }

    /** The same with a quota of {@code records} records and {@code bytes} bytes per publisher at each holder. */
    public DhtConfig withPublisherQuota(int records, long bytes) {
        return new DhtConfig(replicas, maxValueBytes, maxValuesPerKey, maxEntries, maxTtlMillis, requestMillis, attempts,
                retryMillis, fetchMillis, resyncMillis, sweepMillis, handoffMillis, records, bytes);
    }
}
