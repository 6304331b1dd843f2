package io.ringswitch.overlay.security;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.RingAddress;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one set of revoked members that every check of this node consults (issue 19): the
 * handshake, the sessions, DHT records, routed and broadcast signatures. A record joins it only
 * when its signature is the group CA's; a forged one (signed by another CA or by a member) is
 * refused, counted and logged, and revokes nothing. The set is written to the node's state
 * directory ({@link LocalFiles}) after every change and read back at start, so that a restarted
 * node refuses a revoked member before it hears of it again. Those who listen
 * ({@link #listen}) hear of each new record once, with where it came from, to enforce it and to
 * hand it on. Any thread may use it: lookups are lock-free, learning is serialised. Its refusals
 * are counted in the node's registry ({@code ringswitch_refused_total{layer="revocation"}}).
 */
public final class Revocations {
    private static final Logger log = LoggerFactory.getLogger(Revocations.class);
    /** The file in the node's state directory. */
    public static final String FILE = "revocations";

    /** Where a record came from. */
    public enum Source { STORED, CRL, BROADCAST, DHT, LOCAL }

    /** Hears of each record new to this node, on the thread that learnt it. */
    public interface Listener {
        void revoked(RevocationRecord record, Source source);
    }

    private final X509Certificate ca;
    private final Path file;
    private final Map<String, RevocationRecord> records = new ConcurrentHashMap<>();
    private final Set<RingAddress> addresses = ConcurrentHashMap.newKeySet();
    private final Set<BigInteger> serials = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    /** A record not signed by the group's CA. */
    public static final CounterKey FORGED = CounterKey.refused("revocation", "revocation-forged");
    /** Bytes from a peer that are no list of revocations. */
    public static final CounterKey MALFORMED = CounterKey.refused("revocation", "revocation-malformed");
    private final CounterDataPoint forged;
    private final CounterDataPoint malformed;

    /** An empty set checked against {@code ca}, kept in {@code file} (null: kept in memory only), counting in a registry of its own. */
    public Revocations(X509Certificate ca, Path file) {
        this(ca, file, NodeMetrics.inProcess());
    }

    /** As above, counting its refusals in {@code metrics}. */
    public Revocations(X509Certificate ca, Path file, NodeMetrics metrics) {
        this.ca = ca;
        this.file = file;
        this.forged = FORGED.in(metrics);
        this.malformed = MALFORMED.in(metrics);
    }

    /** The set in {@code file}, each record checked again; a missing file is an empty set. */
    public static Revocations load(X509Certificate ca, Path file) throws IOException {
        return load(ca, file, NodeMetrics.inProcess());
    }

    /** As above, counting refusals in {@code metrics}. */
    public static Revocations load(X509Certificate ca, Path file, NodeMetrics metrics) throws IOException {
        Revocations r = new Revocations(ca, file, metrics);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return r;
        }
        try {
            for (RevocationRecord record : RevocationCodec.decodeList(bytes)) {
                r.learn(record, Source.STORED);
            }
        } catch (RevocationCodec.Malformed e) {
            throw new IOException(file + ": not a list of revocations (" + e.getMessage() + ")");
        }
        if (r.size() > 0) {
            log.info("{} revocations remembered from {}", r.size(), file);
        }
        return r;
    }

    /** The group's CA certificate, against which records are checked. */
    public X509Certificate caCertificate() {
        return ca;
    }

    /** Adds {@code listener}, which hears of every record learnt from now on. */
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Takes {@code record} if the group's CA signed it; true when it is new here (then it is
     * written to the file and the listeners hear of it). A record the CA did not sign is refused
     * ({@code revocation-forged}).
     */
    public boolean learn(RevocationRecord record, Source source) {
        if (!record.signedBy(ca)) {
            refuse(forged, FORGED, record + " from " + source + " is not signed by the group's CA");
            return false;
        }
        String key = record.serial().toString(16) + "@" + record.address();
        synchronized (this) {
            if (records.putIfAbsent(key, record) != null) {
                return false;
            }
            addresses.add(record.address());
            serials.add(record.serial());
            if (source != Source.STORED) {
                save();
            }
        }
        if (source != Source.STORED) {
            log.warn("{}: member {} is revoked (certificate {}, learnt from {}); its sessions close and its records go",
                    record, record.address().shortString(), record.serial().toString(16), source);
        }
        for (Listener l : listeners) {
            try {
                l.revoked(record, source);
            } catch (RuntimeException e) {
                log.warn("acting on {} failed: {}", record, e.toString());
            }
        }
        return true;
    }

    /** Whether the group's CA signed {@code record}. */
    public boolean genuine(RevocationRecord record) {
        return record.signedBy(ca);
    }

    /** A record the CA did not sign, seen without {@link #learn}: counted ({@code revocation-forged}) and logged. */
    public void forged(RevocationRecord record, Source source) {
        refuse(forged, FORGED, record + " from " + source + " is not signed by the group's CA");
    }

    /** Learns each of {@code list}; the number that were new. */
    public int learnAll(List<RevocationRecord> list, Source source) {
        int n = 0;
        for (RevocationRecord r : list) {
            if (learn(r, source)) {
                n++;
            }
        }
        return n;
    }

    /** Bytes from a peer that do not parse as revocations: counted ({@code revocation-malformed}) and logged. */
    public void malformed(Source source, String detail) {
        refuse(malformed, MALFORMED, "from " + source + ": " + detail);
    }

    /** Whether the member at {@code address} is revoked. */
    public boolean revoked(RingAddress address) {
        return addresses.contains(address);
    }

    /** Whether {@code certificate} is revoked: its serial, or the ring address its key and salt give. */
    public boolean revoked(X509Certificate certificate) {
        if (serials.contains(certificate.getSerialNumber())) {
            return true;
        }
        if (addresses.isEmpty()) {
            return false;
        }
        try {
            return addresses.contains(NodeCertificate.addressOf(certificate));
        } catch (NodeCertificate.CertificateRejected e) {
            return false;
        }
    }

    /** Every record, newest first. */
    public List<RevocationRecord> all() {
        List<RevocationRecord> out = new ArrayList<>(records.values());
        out.sort(Comparator.comparingLong(RevocationRecord::revokedAtMillis).reversed()
                .thenComparing(RevocationRecord::serial));
        return out;
    }

    /** Records held. */
    public int size() {
        return records.size();
    }

    /** Refusals so far, by reason (those at 0 left out). */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (CounterKey k : List.of(FORGED, MALFORMED)) {
            long n = refused(k.labelValues().get(1));
            if (n > 0) {
                out.put(k.labelValues().get(1), n);
            }
        }
        return out;
    }

    /** Refusals so far for {@code reason} ({@code revocation-forged}, {@code revocation-malformed}). */
    public long refused(String reason) {
        return reason.equals("revocation-forged") ? forged.getLongValue()
                : reason.equals("revocation-malformed") ? malformed.getLongValue() : 0;
    }

    private static void refuse(CounterDataPoint point, CounterKey key, String detail) {
        long n = Metrics.incremented(point);
        if (Long.bitCount(n) == 1) {
            log.warn("refused a revocation: {}: {} ({} so far)", key.labelValues().get(1), detail, n);
        }
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            List<RevocationRecord> all = all();
            LocalFiles.write(file, RevocationCodec.encodeList(all.subList(0, Math.min(all.size(), RevocationCodec.MAX_RECORDS))),
                    LocalFiles.GROUP_READABLE);
        } catch (IOException e) {
            log.warn("cannot write revocations to {}: {} (they hold until this node stops)", file, e.getMessage());
        }
    }
}
