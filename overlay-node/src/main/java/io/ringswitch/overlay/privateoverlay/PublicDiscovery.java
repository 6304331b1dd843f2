package io.ringswitch.overlay.privateoverlay;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.Periodic;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtRecord;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.dht.DhtValue;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.NodeIdentity;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the members of a private group through a public ring (issue 19, the IPOP paper §4.4):
 * publishes this member's private ring endpoints under the group's key on the public ring's DHT
 * (a {@link GroupRecords record} signed by its group certificate, sealed again each time so that
 * it never runs out while the node lives), reads the other members' records on an interval, and
 * hands the endpoints of those that pass the group's CA to the private ring as endpoints to join
 * through. The private ring's links are then made by its own handshakes, under the group's CA: the
 * public ring only tells members where to knock.
 *
 * <p>What it does is counted in the node's registry and what it knows is read from it at scrape
 * time ({@link PrivateOverlayMetrics}). Runs on the event loop that owns both ring nodes.
 */
public final class PublicDiscovery {
    private static final Logger log = LoggerFactory.getLogger(PublicDiscovery.class);
    /** How long a member's record lives on the public ring; it is sealed again every {@link #REPUBLISH_MILLIS}. */
    static final long RECORD_TTL_MILLIS = 120_000;
    static final long REPUBLISH_MILLIS = 30_000;
    /** How soon a publication that failed (no answer, the key full) is tried again. */
    static final long RETRY_MILLIS = 10_000;

    private final RingNode publicRing;
    private final RingNode privateRing;
    private final GroupRecords records;
    private final Scheduler scheduler;
    private final long readMillis;
    /** The largest record of this member that fits in a public record around it (under its public certificate). */
    private final int recordLimit;
    private final Map<RingAddress, GroupRecords.Member> members = new TreeMap<>();
    /** When a read last found each member's record ({@link Scheduler#nowMillis}). */
    private final Map<RingAddress, Long> lastFound = new TreeMap<>();
    private Periodic rounds;
    /** The endpoints offered at the last publication, and those of them that its record carries. */
    private List<InetSocketAddress> offered = List.of();
    private List<InetSocketAddress> published = List.of();
    private long publishedAt = Long.MIN_VALUE;
    private long nextRead;
    private final CounterDataPoint publications;
    private final CounterDataPoint publishFailures;
    private final CounterDataPoint tooLarge;
    private final CounterDataPoint reads;
    private boolean running;

    /**
     * {@code publicCertificateBytes}: the DER length of this member's public certificate, which the
     * public record around this member's record carries; the two must fit one DHT value together.
     */
    public PublicDiscovery(RingNode publicRing, RingNode privateRing, GroupRecords records, Scheduler scheduler,
                           long readMillis, int publicCertificateBytes) {
        this(publicRing, privateRing, records, scheduler, readMillis, publicCertificateBytes, NodeMetrics.inProcess());
    }

    /** As above, counting in {@code metrics} (the private ring node's registry). */
    public PublicDiscovery(RingNode publicRing, RingNode privateRing, GroupRecords records, Scheduler scheduler,
                           long readMillis, int publicCertificateBytes, NodeMetrics metrics) {
        this.publications = PrivateOverlayMetrics.PUBLISHED.in(metrics);
        this.publishFailures = PrivateOverlayMetrics.PUBLISH_FAILED.in(metrics);
        this.tooLarge = PrivateOverlayMetrics.TOO_LARGE.in(metrics);
        this.reads = PrivateOverlayMetrics.READS.in(metrics);
        this.recordLimit = Dht.maxEnvelopeBytes() - DhtRecord.envelopeBytes(publicCertificateBytes, 0);
        this.publicRing = publicRing;
        this.privateRing = privateRing;
        this.records = records;
        this.scheduler = scheduler;
        this.readMillis = readMillis;
    }

    /** Starts publishing and reading once the public ring has joined (checked every second). */
    public void start() {
        running = true;
        rounds = Periodic.start(scheduler, 200, 1000, this::round);
    }

    public void stop() {
        running = false;
        if (rounds != null) {
            rounds.stop();
        }
    }

    /**
     * Seals this member's record with {@code renewed} (its group certificate, renewed) from now on,
     * and publishes it again at once, before readers refuse the record of the old one.
     */
    public void renew(NodeIdentity renewed) {
        records.renew(renewed);
        publishedAt = Long.MIN_VALUE;
    }

    private void round() {
        if (!publicRing.isConnected()) {
            return;
        }
        long now = scheduler.nowMillis();
        List<InetSocketAddress> mine = ownEndpoints();
        if (!mine.isEmpty() && (!mine.equals(offered) || now - publishedAt >= REPUBLISH_MILLIS)) {
            publish(mine, now);
        }
        if (now >= nextRead) {
            nextRead = now + readMillis;
            read();
        }
    }

    private void publish(List<InetSocketAddress> mine, long now) {
        publishedAt = now;
        offered = mine;
        byte[] record = fitting(mine);
        if (record == null) {
            return;
        }
        publicRing.dht().put(records.key(), record, RECORD_TTL_MILLIS).thenAccept(result -> {
            if (result.status() == DhtStatus.OK) {
                if (Metrics.incremented(publications) == 1) {
                    log.info("published this member's private ring endpoints {} under {} on the public ring",
                            mine.stream().map(Endpoints::format).toList(), records.key());
                }
            } else {
                // Tried again in RETRY_MILLIS: a full key (eight members publish already) is no reason to ask every second.
                publishedAt = scheduler.nowMillis() - REPUBLISH_MILLIS + RETRY_MILLIS;
                long n = Metrics.incremented(publishFailures);
                if (Long.bitCount(n) == 1) {
                    log.warn("publishing under {} failed: {} ({} failures so far)", records.key(), result.status(), n);
                }
            }
        });
    }

    /**
     * This member's record of as many of {@code mine} as fit (the first ones: bound, then learned),
     * or null when not even one does: long names make long certificates, and the public record
     * carries two of them (counted, in the status's {@code publishFailures} too, and logged).
     */
    byte[] fitting(List<InetSocketAddress> mine) {
        for (int n = mine.size(); n > 0; n--) {
            byte[] record = records.seal(new MemberEndpoints(mine.subList(0, n)), RECORD_TTL_MILLIS);
            if (record.length <= recordLimit) {
                published = List.copyOf(mine.subList(0, n));
                return record;
            }
        }
        long n = Metrics.incremented(tooLarge);
        if (Long.bitCount(n) == 1) {
            log.error("this member's record cannot be published under {}: with its group certificate it is over the {} bytes"
                    + " that the public record around it leaves ({} times so far; shorter site and group names make "
                    + "shorter certificates)", records.key(), recordLimit, n);
        }
        return null;
    }

    private void read() {
        publicRing.dht().get(records.key()).thenAccept(this::found);
    }

    private void found(DhtResult result) {
        if (!running) {
            return;
        }
        if (result.status() != DhtStatus.OK && result.status() != DhtStatus.NOT_FOUND) {
            // No answer: the members stay as the last read found them.
            return;
        }
        reads.inc();
        List<InetSocketAddress> endpoints = new ArrayList<>();
        Map<RingAddress, GroupRecords.Member> now = new TreeMap<>();
        for (DhtValue value : result.values()) {
            GroupRecords.Member member = records.check(value.bytes());
            if (member == null || member.address().equals(records.self())) {
                continue;
            }
            now.put(member.address(), member);
            if (!members.containsKey(member.address())) {
                log.info("found group member {} at {} on the public ring", member.address().shortString(),
                        member.endpoints().stream().map(Endpoints::format).toList());
            }
            endpoints.addAll(member.endpoints());
        }
        // A member drops out when no read has found its record for a record's lifetime: it left, and
        // its record ran out. One read that misses a record (its holders were changing hands while the
        // public ring moved) must not make the member unknown.
        long at = scheduler.nowMillis();
        members.putAll(now);
        now.keySet().forEach(a -> lastFound.put(a, at));
        lastFound.values().removeIf(seen -> at - seen >= RECORD_TTL_MILLIS);
        members.keySet().retainAll(lastFound.keySet());
        if (!endpoints.isEmpty()) {
            privateRing.addBootstraps(endpoints);
        }
    }

    /**
     * Where this member's private ring takes links: its advertised endpoints (bound, then those
     * its peers saw) that name an address, then the addresses the public ring's peers saw this host
     * at with the private ring's port (a wildcard bind names no address, and a member behind a NAT
     * has no private peers yet to tell it its public one; a port-preserving NAT keeps the port).
     */
    List<InetSocketAddress> ownEndpoints() {
        LinkedHashSet<InetSocketAddress> out = new LinkedHashSet<>();
        for (InetSocketAddress e : privateRing.advertisedEndpoints()) {
            if (reachable(e)) {
                out.add(e);
            }
        }
        int port = privateRing.self().endpoint().getPort();
        for (InetSocketAddress e : publicRing.advertisedEndpoints()) {
            if (reachable(e)) {
                out.add(new InetSocketAddress(e.getAddress(), port));
            }
        }
        return List.copyOf(out).subList(0, Math.min(out.size(), MemberEndpointsCodec.MAX_ENDPOINTS));
    }

    private static boolean reachable(InetSocketAddress e) {
        return e.getAddress() != null && !e.getAddress().isAnyLocalAddress() && e.getPort() != 0;
    }

    /**
     * What this member knows now, as the registry reads it at scrape time ({@link PrivateOverlayMetrics});
     * on the event loop.
     */
    View view() {
        Map<String, String> found = new TreeMap<>();
        members.values().forEach(m -> found.put(m.address().toString(),
                m.endpoints().stream().map(Endpoints::format).toList().toString()));
        return new View(records.key().toString(), publicRing.address().toString(), publicRing.isConnected(),
                publicRing.linkCount(), publicRing.leftNeighbours(2).stream().map(c -> c.address().toString()).toList(),
                publicRing.rightNeighbours(2).stream().map(c -> c.address().toString()).toList(),
                published.stream().map(Endpoints::format).toList(), found,
                privateRing.bootstraps().stream().map(Endpoints::format).toList());
    }

    /**
     * What a member knows of its private overlay, copied on the loop.
     *
     * @param members each member found, by private ring address: its endpoints as a list, {@code [a:p, b:q]}
     */
    record View(String key, String publicAddress, boolean publicJoined, int publicLinks, List<String> publicLeft,
                List<String> publicRight, List<String> published, Map<String, String> members, List<String> bootstraps) {
    }

    /** The members found so far, by private ring address. */
    public Map<RingAddress, GroupRecords.Member> members() {
        return Map.copyOf(members);
    }
}
