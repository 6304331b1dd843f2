package io.ringswitch.overlay.ring.dht;

import java.nio.charset.StandardCharsets;

/**
 * How a node of a group with a CA seals its DHT values into {@link DhtRecord signed records} and
 * checks those of others: as a holder before it stores, copies or answers with one, and as a
 * reader before it hands the value inside to its user. A node without one (a plaintext lab) keeps
 * its values unsigned and unowned, as bare bytes.
 */
public interface DhtRecords {
    /** How far ahead of this node's wall clock a record's timestamp may lie (clocks drift). */
    long SKEW_MILLIS = 30_000;

    /** This node's wall clock, in ms since the epoch: the time records are sealed at and checked against. */
    long wallMillis();

    /** {@code value} under {@code key} for {@code ttlMillis}, sealed now; {@code released}: the publisher gives up its claim. */
    byte[] seal(DhtKey key, byte[] value, long ttlMillis, boolean released);

    /**
     * The record in {@code envelope} if it passes every check (its publisher's certificate is of
     * this group's CA and valid, the certificate names the publisher, the signature covers the
     * record under {@code key}, its timestamp is not ahead by more than {@link #SKEW_MILLIS}, it has
     * not run out, the certificate grants the {@link #roleNeeded role} the key needs); otherwise {@code null}, counted in {@code counters} by reason and logged.
     */
    default DhtRecord check(DhtKey key, byte[] envelope, DhtCounters counters) {
        DhtRecord record = checkAnyTime(key, envelope, counters);
        return record != null && inTime(key, record, counters) ? record : null;
    }

    /**
     * The record in {@code envelope} if it passes every check of {@link #check} but the two that
     * hold its timestamp against this node's wall clock (ahead, run out); otherwise {@code null},
     * counted and logged. A record that passes this and fails {@link #inTime} is refused by this
     * node's clock alone: a holder does not keep it, but passes it on to the key's other holders
     * and readers, whose clocks may be right.
     */
    DhtRecord checkAnyTime(DhtKey key, byte[] envelope, DhtCounters counters);

    /**
     * Whether {@code record}'s timestamp, by this node's wall clock, is not ahead by more than
     * {@link #SKEW_MILLIS} and has not run out; a record that fails is counted and logged.
     */
    boolean inTime(DhtKey key, DhtRecord record, DhtCounters counters);

    /**
     * Whether a key is owned by one publisher at a time: an address lease, a directory entry for
     * an IP or a MAC. Its first publisher keeps it while it refreshes it; another's claim is
     * refused until the owner's record runs out or the owner releases it. Other keys (multicast
     * members, gateways, names) hold one value per publisher.
     */
    static boolean singleOwner(DhtKey key) {
        String text = new String(key.raw(), 0, Math.min(key.length(), 6), StandardCharsets.US_ASCII);
        return text.startsWith("lease") || text.startsWith("ip4:") || text.startsWith("ip6:") || text.startsWith("mac:");
    }

    /**
     * The role ({@code NodeRoles} in the security package) a certificate must grant for its
     * records under {@code key} to count, or null when any member may publish there: a gateway
     * record ({@code gw:GROUP}) draws other sites' Internet traffic, so only a node the CA made a
     * gateway may publish one.
     */
    static String roleNeeded(DhtKey key) {
        return key.length() >= 3 && key.raw()[0] == 'g' && key.raw()[1] == 'w' && key.raw()[2] == ':' ? GATEWAY_ROLE : null;
    }

    /** The role gateway records need (the same word as {@code NodeRoles.GATEWAY}). */
    String GATEWAY_ROLE = "gateway";
}
