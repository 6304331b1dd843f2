package io.ringswitch.overlay.ring.dht;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a node's DHT counted: its own operations, what it served as the node nearest a key, the
 * copies it sent and took as a holder, and every input it refused, by reason. Read on the node's
 * own thread (or copied with {@link #toMap}).
 */
public final class DhtCounters {
    /** Operations this node asked for (gets, puts and creates), attempts not counted. */
    public long operations;
    /** Requests sent again: no answer in time, or a RETRY answer. */
    public long retries;
    /** Operations that got no answer after every attempt. */
    public long timeouts;
    /** Republications of values this node keeps alive. */
    public long republished;
    /** Requests this node answered as the node nearest their key. */
    public long served;
    public long created;
    /** Creates that found the key taken. */
    public long createConflicts;
    /** Creates answered RETRY: a nearer node was deciding a create of the same key. */
    public long createRetries;
    /** Reads of the other holders, for a create or a get this node could not answer alone. */
    public long fetches;
    /** Holders that did not answer a fetch in time. */
    public long fetchTimeouts;
    /** Store messages sent to holders, and the keys in them. */
    public long storesSent;
    public long entriesSent;
    /** Keys (or values of them) taken from other holders' stores and fetches. */
    public long entriesTaken;
    /** Keys this node, none of their holders, handed to the node nearest them. */
    public long handedOff;
    /** Keys this node let go of a while after it handed them off. */
    public long letGo;
    /** Keys this node let go of when a holder told it that nodes nearer the key hold them now. */
    public long released;
    public long expired;
    /** Refused: a DHT payload that does not decode. */
    public long malformed;
    /** Refused: a value over the node's size limit. */
    public long valueTooLarge;
    /** Refused: a time to live of 0 or over the limit. */
    public long badTtl;
    /** Refused: a new value for a key that holds its most values. */
    public long keyFull;
    /** Refused: a new value at a node that holds its most entries. */
    public long nodeFull;
    /** Refused: requests for a key with too many others waiting behind a create. */
    public long queueFull;
    /** Retry asked: a GET or CREATE that needed a read of the other holders while the most were under way. */
    public long readsFull;
    /** Ignored: replies and fetch replies nobody waits for (late, duplicate or forged). */
    public long unexpectedReplies;
    /** Refused records (groups with a CA, see {@link DhtRecords}): not an envelope. */
    public long recordMalformed;
    /** Refused records: unsigned, in a group with a CA. */
    public long recordUnsigned;
    /** Refused records: the signature does not hold, or the certificate names another publisher. */
    public long recordBadSignature;
    /** Refused records: a certificate of another CA, expired, or not a node's. */
    public long recordNotMember;
    /** Refused records: stamped more than {@link DhtRecords#SKEW_MILLIS} ahead. */
    public long recordFutureTimestamp;
    /** Refused records: already run out (a replay). */
    public long recordExpired;
    /** Refused records: under a key that needs a role ({@link DhtRecords#roleNeeded}) its certificate does not grant. */
    public long recordNoRole;
    /** Refused records: their publisher holds its quota of records or bytes at this holder ({@link DhtConfig#maxRecordsPerPublisher}). */
    public long publisherFull;
    /** Refused records: a claim on a single-owner key that another publisher holds. */
    public long recordNotOwner;
    /** Refused records: their publisher's certificate is revoked (issue 19). */
    public long recordRevoked;
    /** Records dropped from this node's store because their publisher was revoked. */
    public long recordsOfRevokedDropped;
    /** Ignored records: older than the one their publisher has in the same slot. */
    public long recordStale;
    /** Ignored: releases of a key this node holds by its own view of the ring. */
    public long releaseRefused;
    /** Reads of two replicas whose answers had no record in common. */
    public long replicaDisagreements;
    /** Reads of two replicas that reached only one. */
    public long singleReplicaReads;
    /** Records a confirmed read wrote back to a holder whose own were older or missing ({@link ReadRepair}). */
    public long readRepairs;
    /**
     * Records this node's wall clock alone refused (ahead, or run out) and that it passed on to the
     * key's other holders and readers instead of keeping ({@link DhtStore.Outcome#OUT_OF_TIME}).
     */
    public long outOfTimePassedOn;
    /** Reads that went on to the further holders an answer named, because the holders asked first did not settle it. */
    public long furtherHolderReads;

    public Map<String, Long> toMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("dht.operations", operations);
        out.put("dht.retries", retries);
        out.put("dht.timeouts", timeouts);
        out.put("dht.republished", republished);
        out.put("dht.served", served);
        out.put("dht.created", created);
        out.put("dht.createConflicts", createConflicts);
        out.put("dht.createRetries", createRetries);
        out.put("dht.fetches", fetches);
        out.put("dht.fetchTimeouts", fetchTimeouts);
        out.put("dht.storesSent", storesSent);
        out.put("dht.entriesSent", entriesSent);
        out.put("dht.entriesTaken", entriesTaken);
        out.put("dht.handedOff", handedOff);
        out.put("dht.letGo", letGo);
        out.put("dht.released", released);
        out.put("dht.expired", expired);
        out.put("dht.malformed", malformed);
        out.put("dht.valueTooLarge", valueTooLarge);
        out.put("dht.badTtl", badTtl);
        out.put("dht.keyFull", keyFull);
        out.put("dht.nodeFull", nodeFull);
        out.put("dht.queueFull", queueFull);
        out.put("dht.readsFull", readsFull);
        out.put("dht.unexpectedReplies", unexpectedReplies);
        out.put("dht.record.malformed", recordMalformed);
        out.put("dht.record.unsigned", recordUnsigned);
        out.put("dht.record.badSignature", recordBadSignature);
        out.put("dht.record.notAMember", recordNotMember);
        out.put("dht.record.futureTimestamp", recordFutureTimestamp);
        out.put("dht.record.expired", recordExpired);
        out.put("dht.record.noRole", recordNoRole);
        out.put("dht.record.publisherFull", publisherFull);
        out.put("dht.record.notOwner", recordNotOwner);
        out.put("dht.record.stale", recordStale);
        out.put("dht.record.revoked", recordRevoked);
        out.put("dht.record.revokedDropped", recordsOfRevokedDropped);
        out.put("dht.releaseRefused", releaseRefused);
        out.put("dht.replicaDisagreements", replicaDisagreements);
        out.put("dht.singleReplicaReads", singleReplicaReads);
        out.put("dht.readRepairs", readRepairs);
        out.put("dht.outOfTimePassedOn", outOfTimePassedOn);
        out.put("dht.furtherHolderReads", furtherHolderReads);
        return out;
    }
}
