package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys one node holds: for each, a few values with their deadlines on this node's clock, and
 * what the node knows of the key's other holders. Enforces the node's limits (value size, values
 * a key, values in all) and counts what it refuses; sends nothing. With {@link DhtRecords} (a
 * group with a CA) its values are signed records, each checked before it is stored (the same
 * bytes again only refresh), and a key holds one slot per publisher: a newer record of a publisher
 * replaces its older one, and a single-owner key ({@link DhtRecords#singleOwner}) takes no second
 * publisher while its owner's record lives and is not a release. Each publisher's records here
 * are held to a quota ({@link PublisherQuota}, {@link DhtConfig#maxRecordsPerPublisher}).
 */
final class DhtStore {
    private static final Logger log = LoggerFactory.getLogger(DhtStore.class);

    /** What adding a value did. */
    enum Outcome {
        ADDED, REFRESHED, TOO_LARGE, BAD_TTL, KEY_FULL, NODE_FULL,
        /** A newer record of a publisher took the place of its older one. */
        REPLACED,
        /** The record failed a check ({@link DhtRecords#check}). */
        BAD_RECORD,
        /** Another publisher owns the key. */
        NOT_OWNER,
        /** Its publisher's record here is as new or newer. */
        STALE,
        /** Its publisher holds its quota of records or bytes here. */
        PUBLISHER_FULL,
        /**
         * The record passes every check but those of its time against this node's wall clock
         * ({@link DhtRecords#inTime}): not kept here, yet this node's clock alone refuses it.
         */
        OUT_OF_TIME;

        boolean stored() {
            return this == ADDED || this == REFRESHED || this == REPLACED;
        }
    }

    /** One value and the moment it expires. */
    static final class Stored {
        byte[] bytes;
        long expiresAt;
        /** The checked record the bytes hold; null without {@link DhtRecords}. */
        DhtRecord record;

        Stored(byte[] bytes, long expiresAt, DhtRecord record) {
            this.bytes = bytes;
            this.expiresAt = expiresAt;
            this.record = record;
        }
    }

    /**
     * One key: its values, the nodes known to hold it too, its holders as last computed, and since
     * when this node has found itself no longer among them ({@code -1}: it is).
     */
    static final class Entry {
        final DhtKey key;
        final List<Stored> values = new ArrayList<>(2);
        final Set<RingAddress> holders = new HashSet<>();
        List<RingAddress> lastHolders;
        long outSince = -1;

        Entry(DhtKey key) {
            this.key = key;
        }
    }

    private final DhtConfig config;
    private final DhtCounters counters;
    private final Scheduler clock;
    private final Map<DhtKey, Entry> entries = new LinkedHashMap<>();
    private int values;
    private DhtRecords records;
    private final PublisherQuota quota;

    DhtStore(DhtConfig config, DhtCounters counters, Scheduler clock) {
        this.config = config;
        this.counters = counters;
        this.clock = clock;
        this.quota = new PublisherQuota(config.maxRecordsPerPublisher(), config.maxBytesPerPublisher());
    }

    /** From now on values are records, checked and owned (a group with a CA). */
    void useRecords(DhtRecords records) {
        this.records = records;
    }

    /** The largest value bytes this store takes: the configured size, or with records a whole envelope. */
    int maxBytes() {
        return records == null ? config.maxValueBytes() : DhtMessageCodec.MAX_VALUE;
    }

    /**
     * Adds {@code value} to {@code key} for {@code ttlMillis}, or moves the deadline of the same
     * value later; a deadline never moves earlier, so copies from several holders agree.
     */
    Outcome add(DhtKey key, byte[] value, long ttlMillis) {
        if (value.length > maxBytes()) {
            counters.valueTooLarge.inc();
            return Outcome.TOO_LARGE;
        }
        if (ttlMillis <= 0 || ttlMillis > config.maxTtlMillis()) {
            counters.badTtl.inc();
            return Outcome.BAD_TTL;
        }
        long now = clock.nowMillis();
        long expiresAt = now + ttlMillis;
        Entry entry = entries.get(key);
        if (entry != null) {
            dropExpired(entry, now);
            for (Stored s : entry.values) {
                if (Arrays.equals(s.bytes, value)) {
                    s.expiresAt = Math.max(s.expiresAt, expiresAt);
                    return Outcome.REFRESHED;
                }
            }
        }
        DhtRecord record = null;
        if (records != null) {
            record = records.checkAnyTime(key, value, counters);
            if (record == null) {
                return Outcome.BAD_RECORD;
            }
            if (!records.inTime(key, record, counters)) {
                return Outcome.OUT_OF_TIME;
            }
            if (record.value().length > config.maxValueBytes()) {
                counters.valueTooLarge.inc();
                return Outcome.TOO_LARGE;
            }
            long left = record.timestamp() + record.ttlMillis() + DhtRecords.SKEW_MILLIS - records.wallMillis();
            expiresAt = now + Math.min(ttlMillis, Math.min(left, record.ttlMillis()));
            if (entry != null) {
                Outcome owned = own(entry, key, value, record, expiresAt);
                if (owned != null) {
                    return owned;
                }
            }
        }
        if (entry != null && entry.values.size() >= config.maxValuesPerKey()) {
            counters.keyFull.inc();
            return Outcome.KEY_FULL;
        }
        if (record != null && !quota.admits(record.publisher(), 1, value.length)) {
            return publisherFull(key, record);
        }
        if (values >= config.maxEntries()) {
            counters.nodeFull.inc();
            if (entry != null && entry.values.isEmpty()) {
                entries.remove(key);
            }
            return Outcome.NODE_FULL;
        }
        if (entry == null) {
            entry = new Entry(key);
            entries.put(key, entry);
        }
        entry.values.add(new Stored(value.clone(), expiresAt, record));
        values++;
        counted(record, 1, value.length);
        return Outcome.ADDED;
    }

    private Outcome publisherFull(DhtKey key, DhtRecord record) {
        if (Long.bitCount(Metrics.incremented(counters.publisherFull)) == 1) {
            log.atWarn().addKeyValue("peer", record.publisher().shortString()).addKeyValue("reason", "publisher-quota")
                    .addKeyValue("key", String.valueOf(key)).addKeyValue("count", counters.publisherFull())
                    .log("DHT record for {} by {} refused: its publisher holds its quota here ({} records, {} bytes; {} "
                            + "refused so far)", key, record.publisher().shortString(), config.maxRecordsPerPublisher(),
                            config.maxBytesPerPublisher(), counters.publisherFull());
        }
        return Outcome.PUBLISHER_FULL;
    }

    /** Counts a stored value against its publisher's quota ({@code records} 1) or takes it off (-1). */
    private void counted(DhtRecord record, int records, int bytes) {
        if (record != null) {
            quota.count(record.publisher(), records, (long) records * bytes);
        }
    }

    /**
     * The owner rules for a checked record of a key that has values: its publisher's slot is
     * replaced by a newer record and kept against an older one; a single-owner key refuses a
     * second publisher while another's live claim (not a release) is held. Null: add it as new.
     */
    private Outcome own(Entry entry, DhtKey key, byte[] value, DhtRecord record, long expiresAt) {
        Stored mine = null;
        Stored owner = null;
        for (Stored s : entry.values) {
            if (s.record == null) {
                continue;
            }
            if (s.record.publisher().equals(record.publisher())) {
                mine = s;
            } else if (!s.record.released()) {
                owner = s;
            }
        }
        if (mine != null && record.timestamp() <= mine.record.timestamp()) {
            counters.recordStale.inc();
            return Outcome.STALE;
        }
        if (owner != null && !record.released() && DhtRecords.singleOwner(key)) {
            if (Long.bitCount(Metrics.incremented(counters.recordNotOwner)) == 1) {
                log.atWarn().addKeyValue("peer", record.publisher().shortString()).addKeyValue("reason", "not-owner")
                        .addKeyValue("key", String.valueOf(key)).addKeyValue("owner", owner.record.publisher().shortString())
                        .addKeyValue("count", counters.recordNotOwner())
                        .log("DHT claim on {} by {} refused: it belongs to {} ({} refused so far)", key,
                                record.publisher().shortString(), owner.record.publisher().shortString(), counters.recordNotOwner());
            }
            return Outcome.NOT_OWNER;
        }
        if (mine == null) {
            return null;
        }
        if (!quota.admits(record.publisher(), 0, value.length - mine.bytes.length)) {
            return publisherFull(key, record);
        }
        quota.count(record.publisher(), 0, value.length - mine.bytes.length);
        mine.bytes = value.clone();
        mine.record = record;
        mine.expiresAt = expiresAt;
        return Outcome.REPLACED;
    }

    /** Takes values another holder sent; true when any was new or lives longer now. */
    boolean merge(DhtKey key, List<DhtValue> incoming) {
        boolean changed = false;
        for (DhtValue v : incoming) {
            Entry before = entries.get(key);
            long oldDeadline = deadlineOf(before, v.bytes());
            Outcome outcome = add(key, v.bytes(), v.ttlMillis());
            if (outcome == Outcome.ADDED || outcome == Outcome.REPLACED
                    || (outcome == Outcome.REFRESHED && deadlineOf(entries.get(key), v.bytes()) > oldDeadline)) {
                changed = true;
            }
        }
        return changed;
    }

    private static long deadlineOf(Entry entry, byte[] value) {
        if (entry != null) {
            for (Stored s : entry.values) {
                if (Arrays.equals(s.bytes, value)) {
                    return s.expiresAt;
                }
            }
        }
        return Long.MIN_VALUE;
    }

    /** The key's live values with the time each has left, sorted by their bytes; empty for none. */
    List<DhtValue> live(DhtKey key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return List.of();
        }
        long now = clock.nowMillis();
        List<DhtValue> out = new ArrayList<>(entry.values.size());
        for (Stored s : entry.values) {
            if (s.expiresAt > now) {
                out.add(new DhtValue(s.bytes.clone(), s.expiresAt - now));
            }
        }
        out.sort(DhtValue.BY_BYTES);
        return out;
    }

    Entry entry(DhtKey key) {
        return entries.get(key);
    }

    /** Every key held; do not add or remove keys while walking it. */
    Collection<Entry> entries() {
        return entries.values();
    }

    void remove(DhtKey key) {
        Entry entry = entries.remove(key);
        if (entry != null) {
            values -= entry.values.size();
            for (Stored s : entry.values) {
                counted(s.record, -1, s.bytes.length);
            }
        }
    }

    /**
     * Drops every record {@code publisher} signed, and keys left with none: its certificate was
     * revoked (issue 19). Returns how many went.
     */
    int forget(RingAddress publisher) {
        int dropped = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            for (Iterator<Stored> si = entry.values.iterator(); si.hasNext(); ) {
                Stored s = si.next();
                if (s.record != null && s.record.publisher().equals(publisher)) {
                    si.remove();
                    values--;
                    dropped++;
                }
            }
            if (entry.values.isEmpty()) {
                it.remove();
            }
        }
        counters.recordsOfRevokedDropped.inc(dropped);
        return dropped;
    }

    /** Drops every expired value, and keys left with none. */
    void expire() {
        long now = clock.nowMillis();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            dropExpired(entry, now);
            if (entry.values.isEmpty()) {
                it.remove();
            }
        }
    }

    private void dropExpired(Entry entry, long now) {
        for (Iterator<Stored> it = entry.values.iterator(); it.hasNext(); ) {
            Stored s = it.next();
            if (s.expiresAt <= now) {
                it.remove();
                values--;
                counted(s.record, -1, s.bytes.length);
                counters.expired.inc();
            }
        }
    }

    /** Values held over all keys (expired ones not yet dropped included). */
    int size() {
        return values;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    void clear() {
        entries.clear();
        values = 0;
        quota.clear();
    }

    /** Records {@code publisher} has here, counted against its quota. */
    long recordsOf(RingAddress publisher) {
        return quota.records(publisher);
    }
}
