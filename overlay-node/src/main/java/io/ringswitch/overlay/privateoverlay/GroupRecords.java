package io.ringswitch.overlay.privateoverlay;

import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtRecord;
import io.ringswitch.overlay.ring.message.RingMessageCodec.MalformedException;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.security.SignedDhtRecords;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One private group's records on a public ring: the DHT key its members meet under, and the
 * record each of them publishes there. A record is a {@link DhtRecord} signed with the member's
 * <em>group</em> certificate around its {@link MemberEndpoints}, bound to the key; on the public
 * ring it travels as the value of an ordinary public record (signed again, by the member's public
 * certificate, which is all the public ring's holders check). A reader takes a member's endpoints
 * only when the inner record passes the group's CA, so that no member of the public ring who is not
 * in the group can send a member to its endpoints; the member's private ring address is the
 * address of the certificate that signs, never a claim in the value.
 *
 * <p>The key is {@code private:GROUP:CA}, GROUP the group's name (from the CA's certificate,
 * at most 64 characters) and CA the first 16 hex digits of the SHA-256 of the CA's public key, so
 * that two groups of one name do not share a key.
 */
public final class GroupRecords {
    private static final Logger log = LoggerFactory.getLogger(GroupRecords.class);
    /** What every private group's key starts with. */
    public static final String PREFIX = "private:";

    private final DhtKey key;
    private final SignedDhtRecords records;
    private final RingAddress self;
    private final DhtCounters refusals;

    /** A member of a private group with the group certificate and key in {@code identity}, counting in a registry of its own. */
    public GroupRecords(NodeIdentity identity, LongSupplier wallClock) {
        this(identity, wallClock, NodeMetrics.inProcess());
    }

    /**
     * As above, counting refusals in {@code metrics}: a registry of the group's records alone, since
     * they are refused under the DHT's own reasons ({@code ringswitch_refused_total{layer="dht-record"}})
     * and must not be added to the node's DHT's.
     */
    public GroupRecords(NodeIdentity identity, LongSupplier wallClock, NodeMetrics metrics) {
        this.refusals = new DhtCounters(metrics);
        this.key = key(identity.certificate().group(), identity.ca());
        this.records = new SignedDhtRecords(identity, wallClock);
        this.self = identity.certificate().address();
    }

    /** The key the members of the group of CA {@code ca}, named {@code group}, meet under. */
    public static DhtKey key(String group, X509Certificate ca) {
        String name = group.length() > 64 ? group.substring(0, 64) : group;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded());
            return DhtKey.of(PREFIX + name + ":" + HexFormat.of().formatHex(digest, 0, 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public DhtKey key() {
        return key;
    }

    /** This member's private ring address. */
    public RingAddress self() {
        return self;
    }

    /** Signs with {@code renewed}, the renewal of this member's group certificate (same key, same address), from now on. */
    public void renew(NodeIdentity renewed) {
        records.renew(renewed);
    }

    /** This member's record of {@code endpoints}, signed now with its group certificate for {@code ttlMillis}. */
    public byte[] seal(MemberEndpoints endpoints, long ttlMillis) {
        return records.seal(key, MemberEndpointsCodec.encode(endpoints), ttlMillis, false);
    }

    /**
     * The member in a record read from the public ring, or null when the record does not pass the
     * group's CA (another group's, a public member's forgery, expired, copied from another key) or
     * does not decode; refusals are counted by reason ({@link #refused}) and logged.
     */
    public Member check(byte[] value) {
        DhtRecord record = records.check(key, value, refusals);
        if (record == null || record.released()) {
            return null;
        }
        try {
            return new Member(record.publisher(), MemberEndpointsCodec.decode(record.value()).endpoints());
        } catch (MalformedException e) {
            if (Long.bitCount(Metrics.incremented(refusals.malformed)) == 1) {
                log.warn("private record of {} refused ({} so far): {}", record.publisher().shortString(),
                        refusals.malformed(), e.getMessage());
            }
            return null;
        }
    }

    /** Records read and refused, by reason: not-a-member (another CA, expired), bad-signature, expired, ... */
    public Map<String, Long> refused() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("not-a-member", refusals.recordNotMember());
        out.put("bad-signature", refusals.recordBadSignature());
        out.put("expired", refusals.recordExpired());
        out.put("future-timestamp", refusals.recordFutureTimestamp());
        out.put("unsigned", refusals.recordUnsigned());
        out.put("malformed", refusals.recordMalformed() + refusals.malformed());
        return out;
    }

    /** A member of the group as its verified record says: its private ring address and endpoints. */
    public record Member(RingAddress address, List<InetSocketAddress> endpoints) {
        public Member {
            endpoints = List.copyOf(endpoints);
        }
    }
}
