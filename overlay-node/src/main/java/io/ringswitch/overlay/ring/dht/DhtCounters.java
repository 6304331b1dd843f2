package io.ringswitch.overlay.ring.dht;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node's DHT counted, as data points of the node's registry (issue 20): its own operations,
 * what it served as the node nearest a key, the copies it sent and took as a holder
 * ({@code ringswitch_dht_operations_total}, {@code ringswitch_dht_entries_total}), and every input
 * it refused, by reason ({@code ringswitch_refused_total{layer="dht"}} and, for signed records
 * (see {@link DhtRecords}), {@code layer="dht-record"}). Increment with {@code inc()} on a field,
 * read with its getter.
 */
public final class DhtCounters {
    private static final String OPS = "ringswitch_dht_operations_total";
    private static final String OPS_HELP = "DHT operations asked for, served and kept up at this node, by event.";
    private static final String KEYS = "ringswitch_dht_entries_total";
    private static final String KEYS_HELP = "DHT keys sent to other holders and taken from them.";

    public static final CounterKey OPERATIONS = CounterKey.of(OPS, OPS_HELP, "event", "requested");
    public static final CounterKey RETRIES = CounterKey.of(OPS, OPS_HELP, "event", "retry");
    public static final CounterKey TIMEOUTS = CounterKey.of(OPS, OPS_HELP, "event", "timeout");
    public static final CounterKey REPUBLISHED = CounterKey.of(OPS, OPS_HELP, "event", "republished");
    public static final CounterKey SERVED = CounterKey.of(OPS, OPS_HELP, "event", "served");
    public static final CounterKey CREATED = CounterKey.of(OPS, OPS_HELP, "event", "created");
    public static final CounterKey CREATE_CONFLICTS = CounterKey.of(OPS, OPS_HELP, "event", "create_conflict");
    public static final CounterKey CREATE_RETRIES = CounterKey.of(OPS, OPS_HELP, "event", "create_retry");
    public static final CounterKey FETCHES = CounterKey.of(OPS, OPS_HELP, "event", "fetch");
    public static final CounterKey FETCH_TIMEOUTS = CounterKey.of(OPS, OPS_HELP, "event", "fetch_timeout");
    public static final CounterKey STORES_SENT = CounterKey.of(OPS, OPS_HELP, "event", "store_sent");
    public static final CounterKey ENTRIES_SENT = CounterKey.of(KEYS, KEYS_HELP, "direction", "sent");
    public static final CounterKey ENTRIES_TAKEN = CounterKey.of(KEYS, KEYS_HELP, "direction", "taken");
    public static final CounterKey HANDED_OFF = CounterKey.of(OPS, OPS_HELP, "event", "handed_off");
    public static final CounterKey LET_GO = CounterKey.of(OPS, OPS_HELP, "event", "let_go");
    public static final CounterKey RELEASED = CounterKey.of(OPS, OPS_HELP, "event", "released");
    public static final CounterKey EXPIRED = CounterKey.of(OPS, OPS_HELP, "event", "expired");
    public static final CounterKey MALFORMED = CounterKey.refused("dht", "malformed");
    public static final CounterKey VALUE_TOO_LARGE = CounterKey.refused("dht", "value-too-large");
    public static final CounterKey BAD_TTL = CounterKey.refused("dht", "bad-ttl");
    public static final CounterKey KEY_FULL = CounterKey.refused("dht", "key-full");
    public static final CounterKey NODE_FULL = CounterKey.refused("dht", "node-full");
    public static final CounterKey QUEUE_FULL = CounterKey.refused("dht", "queue-full");
    public static final CounterKey READS_FULL = CounterKey.refused("dht", "reads-full");
    public static final CounterKey UNEXPECTED_REPLIES = CounterKey.refused("dht", "unexpected-reply");
    public static final CounterKey RECORD_MALFORMED = CounterKey.refused("dht-record", "malformed");
    public static final CounterKey RECORD_UNSIGNED = CounterKey.refused("dht-record", "unsigned");
    public static final CounterKey RECORD_BAD_SIGNATURE = CounterKey.refused("dht-record", "bad-signature");
    public static final CounterKey RECORD_NOT_MEMBER = CounterKey.refused("dht-record", "not-a-member");
    public static final CounterKey RECORD_FUTURE_TIMESTAMP = CounterKey.refused("dht-record", "future-timestamp");
    public static final CounterKey RECORD_EXPIRED = CounterKey.refused("dht-record", "expired");
    public static final CounterKey RECORD_NO_ROLE = CounterKey.refused("dht-record", "no-role");
    public static final CounterKey PUBLISHER_FULL = CounterKey.refused("dht-record", "publisher-full");
    public static final CounterKey RECORD_NOT_OWNER = CounterKey.refused("dht-record", "not-owner");
    public static final CounterKey RECORD_REVOKED = CounterKey.refused("dht-record", "revoked");
    public static final CounterKey RECORDS_OF_REVOKED_DROPPED = CounterKey.of(OPS, OPS_HELP, "event", "revoked_dropped");
    public static final CounterKey RECORD_STALE = CounterKey.refused("dht-record", "stale");
    public static final CounterKey RELEASE_REFUSED = CounterKey.refused("dht", "release-by-non-holder");
    public static final CounterKey REPLICA_DISAGREEMENTS = CounterKey.of(OPS, OPS_HELP, "event", "replica_disagreement");
    public static final CounterKey SINGLE_REPLICA_READS = CounterKey.of(OPS, OPS_HELP, "event", "single_replica_read");
    public static final CounterKey READ_REPAIRS = CounterKey.of(OPS, OPS_HELP, "event", "read_repair");
    public static final CounterKey OUT_OF_TIME_PASSED_ON = CounterKey.of(OPS, OPS_HELP, "event", "out_of_time_passed_on");
    public static final CounterKey FURTHER_HOLDER_READS = CounterKey.of(OPS, OPS_HELP, "event", "further_holder_read");

    /** Operations this node asked for (gets, puts and creates), attempts not counted. */
    public final CounterDataPoint operations;
    /** Requests sent again: no answer in time, or a RETRY answer. */
    public final CounterDataPoint retries;
    /** Operations that got no answer after every attempt. */
    public final CounterDataPoint timeouts;
    /** Republications of values this node keeps alive. */
    public final CounterDataPoint republished;
    /** Requests this node answered as the node nearest their key. */
    public final CounterDataPoint served;
    public final CounterDataPoint created;
    /** Creates that found the key taken. */
    public final CounterDataPoint createConflicts;
    /** Creates answered RETRY: a nearer node was deciding a create of the same key. */
    public final CounterDataPoint createRetries;
    /** Reads of the other holders, for a create or a get this node could not answer alone. */
    public final CounterDataPoint fetches;
    /** Holders that did not answer a fetch in time. */
    public final CounterDataPoint fetchTimeouts;
    /** Store messages sent to holders, and the keys in them. */
    public final CounterDataPoint storesSent;
    public final CounterDataPoint entriesSent;
    /** Keys (or values of them) taken from other holders' stores and fetches. */
    public final CounterDataPoint entriesTaken;
    /** Keys this node, none of their holders, handed to the node nearest them. */
    public final CounterDataPoint handedOff;
    /** Keys this node let go of a while after it handed them off. */
    public final CounterDataPoint letGo;
    /** Keys this node let go of when a holder told it that nodes nearer the key hold them now. */
    public final CounterDataPoint released;
    public final CounterDataPoint expired;
    /** Refused: a DHT payload that does not decode. */
    public final CounterDataPoint malformed;
    /** Refused: a value over the node's size limit. */
    public final CounterDataPoint valueTooLarge;
    /** Refused: a time to live of 0 or over the limit. */
    public final CounterDataPoint badTtl;
    /** Refused: a new value for a key that holds its most values. */
    public final CounterDataPoint keyFull;
    /** Refused: a new value at a node that holds its most entries. */
    public final CounterDataPoint nodeFull;
    /** Refused: requests for a key with too many others waiting behind a create. */
    public final CounterDataPoint queueFull;
    /** Retry asked: a GET or CREATE that needed a read of the other holders while the most were under way. */
    public final CounterDataPoint readsFull;
    /** Ignored: replies and fetch replies nobody waits for (late, duplicate or forged). */
    public final CounterDataPoint unexpectedReplies;
    /** Refused records (groups with a CA, see {@link DhtRecords}): not an envelope. */
    public final CounterDataPoint recordMalformed;
    /** Refused records: unsigned, in a group with a CA. */
    public final CounterDataPoint recordUnsigned;
    /** Refused records: the signature does not hold, or the certificate names another publisher. */
    public final CounterDataPoint recordBadSignature;
    /** Refused records: a certificate of another CA, expired, or not a node's. */
    public final CounterDataPoint recordNotMember;
    /** Refused records: stamped more than {@link DhtRecords#SKEW_MILLIS} ahead. */
    public final CounterDataPoint recordFutureTimestamp;
    /** Refused records: already run out (a replay). */
    public final CounterDataPoint recordExpired;
    /** Refused records: under a key that needs a role ({@link DhtRecords#roleNeeded}) its certificate does not grant. */
    public final CounterDataPoint recordNoRole;
    /** Refused records: their publisher holds its quota of records or bytes at this holder ({@link DhtConfig#maxRecordsPerPublisher}). */
    public final CounterDataPoint publisherFull;
    /** Refused records: a claim on a single-owner key that another publisher holds. */
    public final CounterDataPoint recordNotOwner;
    /** Refused records: their publisher's certificate is revoked (issue 19). */
    public final CounterDataPoint recordRevoked;
    /** Records dropped from this node's store because their publisher was revoked. */
    public final CounterDataPoint recordsOfRevokedDropped;
    /** Ignored records: older than the one their publisher has in the same slot. */
    public final CounterDataPoint recordStale;
    /** Ignored: releases of a key this node holds by its own view of the ring. */
    public final CounterDataPoint releaseRefused;
    /** Reads of two replicas whose answers had no record in common. */
    public final CounterDataPoint replicaDisagreements;
    /** Reads of two replicas that reached only one. */
    public final CounterDataPoint singleReplicaReads;
    /** Records a confirmed read wrote back to a holder whose own were older or missing ({@link ReadRepair}). */
    public final CounterDataPoint readRepairs;
    /**
     * Records this node's wall clock alone refused (ahead, or run out) and that it passed on to the
     * key's other holders and readers instead of keeping ({@link DhtStore.Outcome#OUT_OF_TIME}).
     */
    public final CounterDataPoint outOfTimePassedOn;
    /** Reads that went on to the further holders an answer named, because the holders asked first did not settle it. */
    public final CounterDataPoint furtherHolderReads;

    /** Counters in a registry of their own (a part tested alone). */
    public DhtCounters() {
        this(NodeMetrics.inProcess());
    }

    /** Counters registered in the node's {@code metrics}. */
    public DhtCounters(NodeMetrics metrics) {
        operations = OPERATIONS.in(metrics);
        retries = RETRIES.in(metrics);
        timeouts = TIMEOUTS.in(metrics);
        republished = REPUBLISHED.in(metrics);
        served = SERVED.in(metrics);
        created = CREATED.in(metrics);
        createConflicts = CREATE_CONFLICTS.in(metrics);
        createRetries = CREATE_RETRIES.in(metrics);
        fetches = FETCHES.in(metrics);
        fetchTimeouts = FETCH_TIMEOUTS.in(metrics);
        storesSent = STORES_SENT.in(metrics);
        entriesSent = ENTRIES_SENT.in(metrics);
        entriesTaken = ENTRIES_TAKEN.in(metrics);
        handedOff = HANDED_OFF.in(metrics);
        letGo = LET_GO.in(metrics);
        released = RELEASED.in(metrics);
        expired = EXPIRED.in(metrics);
        malformed = MALFORMED.in(metrics);
        valueTooLarge = VALUE_TOO_LARGE.in(metrics);
        badTtl = BAD_TTL.in(metrics);
        keyFull = KEY_FULL.in(metrics);
        nodeFull = NODE_FULL.in(metrics);
        queueFull = QUEUE_FULL.in(metrics);
        readsFull = READS_FULL.in(metrics);
        unexpectedReplies = UNEXPECTED_REPLIES.in(metrics);
        recordMalformed = RECORD_MALFORMED.in(metrics);
        recordUnsigned = RECORD_UNSIGNED.in(metrics);
        recordBadSignature = RECORD_BAD_SIGNATURE.in(metrics);
        recordNotMember = RECORD_NOT_MEMBER.in(metrics);
        recordFutureTimestamp = RECORD_FUTURE_TIMESTAMP.in(metrics);
        recordExpired = RECORD_EXPIRED.in(metrics);
        recordNoRole = RECORD_NO_ROLE.in(metrics);
        publisherFull = PUBLISHER_FULL.in(metrics);
        recordNotOwner = RECORD_NOT_OWNER.in(metrics);
        recordRevoked = RECORD_REVOKED.in(metrics);
        recordsOfRevokedDropped = RECORDS_OF_REVOKED_DROPPED.in(metrics);
        recordStale = RECORD_STALE.in(metrics);
        releaseRefused = RELEASE_REFUSED.in(metrics);
        replicaDisagreements = REPLICA_DISAGREEMENTS.in(metrics);
        singleReplicaReads = SINGLE_REPLICA_READS.in(metrics);
        readRepairs = READ_REPAIRS.in(metrics);
        outOfTimePassedOn = OUT_OF_TIME_PASSED_ON.in(metrics);
        furtherHolderReads = FURTHER_HOLDER_READS.in(metrics);
    }

    public long operations() { return operations.getLongValue(); }
    public long retries() { return retries.getLongValue(); }
    public long timeouts() { return timeouts.getLongValue(); }
    public long republished() { return republished.getLongValue(); }
    public long served() { return served.getLongValue(); }
    public long created() { return created.getLongValue(); }
    public long createConflicts() { return createConflicts.getLongValue(); }
    public long createRetries() { return createRetries.getLongValue(); }
    public long fetches() { return fetches.getLongValue(); }
    public long fetchTimeouts() { return fetchTimeouts.getLongValue(); }
    public long storesSent() { return storesSent.getLongValue(); }
    public long entriesSent() { return entriesSent.getLongValue(); }
    public long entriesTaken() { return entriesTaken.getLongValue(); }
    public long handedOff() { return handedOff.getLongValue(); }
    public long letGo() { return letGo.getLongValue(); }
    public long released() { return released.getLongValue(); }
    public long expired() { return expired.getLongValue(); }
    public long malformed() { return malformed.getLongValue(); }
    public long valueTooLarge() { return valueTooLarge.getLongValue(); }
    public long badTtl() { return badTtl.getLongValue(); }
    public long keyFull() { return keyFull.getLongValue(); }
    public long nodeFull() { return nodeFull.getLongValue(); }
    public long queueFull() { return queueFull.getLongValue(); }
    public long readsFull() { return readsFull.getLongValue(); }
    public long unexpectedReplies() { return unexpectedReplies.getLongValue(); }
    public long recordMalformed() { return recordMalformed.getLongValue(); }
    public long recordUnsigned() { return recordUnsigned.getLongValue(); }
    public long recordBadSignature() { return recordBadSignature.getLongValue(); }
    public long recordNotMember() { return recordNotMember.getLongValue(); }
    public long recordFutureTimestamp() { return recordFutureTimestamp.getLongValue(); }
    public long recordExpired() { return recordExpired.getLongValue(); }
    public long recordNoRole() { return recordNoRole.getLongValue(); }
    public long publisherFull() { return publisherFull.getLongValue(); }
    public long recordNotOwner() { return recordNotOwner.getLongValue(); }
    public long recordRevoked() { return recordRevoked.getLongValue(); }
    public long recordsOfRevokedDropped() { return recordsOfRevokedDropped.getLongValue(); }
    public long recordStale() { return recordStale.getLongValue(); }
    public long releaseRefused() { return releaseRefused.getLongValue(); }
    public long replicaDisagreements() { return replicaDisagreements.getLongValue(); }
    public long singleReplicaReads() { return singleReplicaReads.getLongValue(); }
    public long readRepairs() { return readRepairs.getLongValue(); }
    public long outOfTimePassedOn() { return outOfTimePassedOn.getLongValue(); }
    public long furtherHolderReads() { return furtherHolderReads.getLongValue(); }
    /** Every count by the names the simulator and tests have always printed. */
    public Map<String, Long> toMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("dht.operations", operations());
        out.put("dht.retries", retries());
        out.put("dht.timeouts", timeouts());
        out.put("dht.republished", republished());
        out.put("dht.served", served());
        out.put("dht.created", created());
        out.put("dht.createConflicts", createConflicts());
        out.put("dht.createRetries", createRetries());
        out.put("dht.fetches", fetches());
        out.put("dht.fetchTimeouts", fetchTimeouts());
        out.put("dht.storesSent", storesSent());
        out.put("dht.entriesSent", entriesSent());
        out.put("dht.entriesTaken", entriesTaken());
        out.put("dht.handedOff", handedOff());
        out.put("dht.letGo", letGo());
        out.put("dht.released", released());
        out.put("dht.expired", expired());
        out.put("dht.malformed", malformed());
        out.put("dht.valueTooLarge", valueTooLarge());
        out.put("dht.badTtl", badTtl());
        out.put("dht.keyFull", keyFull());
        out.put("dht.nodeFull", nodeFull());
        out.put("dht.queueFull", queueFull());
        out.put("dht.readsFull", readsFull());
        out.put("dht.unexpectedReplies", unexpectedReplies());
        out.put("dht.record.malformed", recordMalformed());
        out.put("dht.record.unsigned", recordUnsigned());
        out.put("dht.record.badSignature", recordBadSignature());
        out.put("dht.record.notAMember", recordNotMember());
        out.put("dht.record.futureTimestamp", recordFutureTimestamp());
        out.put("dht.record.expired", recordExpired());
        out.put("dht.record.noRole", recordNoRole());
        out.put("dht.record.publisherFull", publisherFull());
        out.put("dht.record.notOwner", recordNotOwner());
        out.put("dht.record.stale", recordStale());
        out.put("dht.record.revoked", recordRevoked());
        out.put("dht.record.revokedDropped", recordsOfRevokedDropped());
        out.put("dht.releaseRefused", releaseRefused());
        out.put("dht.replicaDisagreements", replicaDisagreements());
        out.put("dht.singleReplicaReads", singleReplicaReads());
        out.put("dht.readRepairs", readRepairs());
        out.put("dht.outOfTimePassedOn", outOfTimePassedOn());
        out.put("dht.furtherHolderReads", furtherHolderReads());
        return out;
    }
}
