package io.ringswitch.overlay.gateway;

import io.ringswitch.controller.api.GatewayDirectory;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.api.GatewayCandidate;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.Periodic;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.types.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full-tunnel client's choice of gateway (issue 17): reads the gateway records every
 * {@link #READ_MILLIS}, probes every gateway over the ring every probe period, and keeps the one it
 * chose while it answers: a new choice only when the chosen one missed {@link #MISSES} probes in a
 * row or its record went, and then at once among those that answer (lowest round trip, or a choice
 * that is random across nodes but stable for each). While none answers the choice is null, so the
 * controller drops Internet-bound frames (fail closed); the first gateway to answer again is chosen
 * a short {@code settle} later, time for the others' answers to come in too.
 *
 * <p>A gateway is trusted only for what it says itself: its answer must come from the record's
 * ring address, echo the probe's unguessable nonce and name the record's MAC and VPN address, or
 * the gateway is not used (a record that names another node, or another node's MAC, steers nothing).
 * Runs on the node's event loop and its clock; the controller's {@link GatewayDirectory} is this
 * moved onto that loop (SwitchServices).
 */
public final class GatewayChooser implements GatewayDirectory {
    private static final Logger log = LoggerFactory.getLogger(GatewayChooser.class);
    /** How often the records are read. */
    static final long READ_MILLIS = 3_000;
    /** Probes in a row a chosen gateway may miss before another is chosen. */
    static final int MISSES = 2;

    /** One gateway as this client knows it. */
    private static final class Candidate {
        GatewayRecord record;
        long nonce;
        long sentAt = -1;
        boolean answered = true;
        int missed;
        boolean alive;
        long rtt = -1;

        Candidate(GatewayRecord record) {
            this.record = record;
        }
    }

    private final RingAddress self;
    private final Scheduler scheduler;
    private final Supplier<CompletableFuture<List<GatewayRecord>>> records;
    private final BiConsumer<RingAddress, byte[]> probes;
    private final LongSupplier nonces;
    private final boolean random;
    private final long probeMillis;
    private final long settleMillis;
    private final Map<RingAddress, Candidate> candidates = new LinkedHashMap<>();
    private Consumer<Gateway> listener = g -> { };
    private Candidate chosen;
    private Scheduler.Cancellable settling;
    private Periodic reading;
    private Periodic probing;
    private long without;
    private long withoutSince;
    private final CounterDataPoint failovers;
    private final CounterDataPoint probesSent;
    private final CounterDataPoint repliesAccepted;
    private final CounterDataPoint repliesRefused;
    /** The candidates as the registry reads them from any thread: copied on the loop whenever they change. */
    private volatile List<GatewayCandidate> view = List.of();
    private volatile String chosenSite;

    /**
     * @param self        this node's ring address (the stable seed of a random choice)
     * @param records     reads the gateways' records (null result: the DHT could not tell)
     * @param probes      sends a probe payload to a gateway over the ring
     * @param nonces      unguessable numbers for the probes
     * @param random      random (stable per node) rather than lowest-latency choice
     * @param probeMillis the probe period
     */
    public GatewayChooser(RingAddress self, Scheduler scheduler, Supplier<CompletableFuture<List<GatewayRecord>>> records,
                          BiConsumer<RingAddress, byte[]> probes, LongSupplier nonces, boolean random, long probeMillis) {
        this(self, scheduler, records, probes, nonces, random, probeMillis, NodeMetrics.inProcess());
    }

    /** As above, counting in {@code metrics} ({@link GatewayMetrics}). */
    public GatewayChooser(RingAddress self, Scheduler scheduler, Supplier<CompletableFuture<List<GatewayRecord>>> records,
                          BiConsumer<RingAddress, byte[]> probes, LongSupplier nonces, boolean random, long probeMillis,
                          NodeMetrics metrics) {
        this.failovers = GatewayMetrics.FAILOVERS.in(metrics);
        this.probesSent = GatewayMetrics.PROBES_SENT.in(metrics);
        this.repliesAccepted = GatewayMetrics.REPLIES_ACCEPTED.in(metrics);
        this.repliesRefused = GatewayMetrics.REPLIES_REFUSED.in(metrics);
        this.self = self;
        this.scheduler = scheduler;
        this.records = records;
        this.probes = probes;
        this.nonces = nonces;
        this.random = random;
        this.probeMillis = probeMillis;
        this.settleMillis = Math.min(500, probeMillis / 2);
        this.withoutSince = scheduler.nowMillis();
    }

    public void start() {
        reading = Periodic.start(scheduler, 0, READ_MILLIS, this::read);
        probing = Periodic.start(scheduler, probeMillis, probeMillis, this::probe);
    }

    public void stop() {
        for (Periodic p : new Periodic[] {reading, probing}) {
            if (p != null) {
                p.stop();
            }
        }
        if (settling != null) {
            settling.cancel();
        }
    }

    /** Call on the node's loop: the listener hears the current choice now and every change. */
    @Override
    public void listen(Consumer<Gateway> l) {
        listener = l;
        l.accept(gateway(chosen));
    }

    private void read() {
        records.get().thenAccept(list -> {
            if (list != null) {
                update(list);
            }
        });
    }

    /** The gateways that publish now: new ones are probed at once, those gone are forgotten. */
    void update(List<GatewayRecord> list) {
        Map<RingAddress, GatewayRecord> now = new LinkedHashMap<>();
        list.forEach(r -> now.put(r.address(), r));
        List<Candidate> fresh = new ArrayList<>();
        for (GatewayRecord r : now.values()) {
            Candidate c = candidates.get(r.address());
            if (c == null) {
                c = new Candidate(r);
                candidates.put(r.address(), c);
                fresh.add(c);
            } else if (c.record.mac() != r.mac() || c.record.ipv4() != r.ipv4()) {
                c.record = r;
                c.alive = false;
                fresh.add(c);
            } else {
                c.record = r;
            }
        }
        candidates.keySet().retainAll(now.keySet());
        if (chosen != null && (!candidates.containsKey(chosen.record.address()) || !chosen.alive)) {
            log.warn("gateway {} no longer publishes (or changed its port): choosing another", chosen.record.site());
            failover();
        }
        fresh.forEach(this::send);
        publishView();
    }

    private void probe() {
        for (Candidate c : candidates.values()) {
            if (!c.answered && ++c.missed >= MISSES && c.alive) {
                c.alive = false;
                log.info("gateway {} missed {} probes", c.record.site(), c.missed);
            }
        }
        if (chosen != null && !chosen.alive) {
            log.warn("gateway {} does not answer: choosing another", chosen.record.site());
            failover();
        }
        candidates.values().forEach(this::send);
        publishView();
    }

    private void send(Candidate c) {
        c.nonce = nonces.getAsLong();
        c.sentAt = scheduler.nowMillis();
        c.answered = false;
        probesSent.inc();
        probes.accept(c.record.address(), GatewayProbeCodec.encode(new GatewayProbe.Request(c.nonce)));
    }

    /** A probe's answer from {@code from}: counts only with the nonce of its latest probe and the record's port. */
    void onReply(RingAddress from, GatewayProbe.Reply reply) {
        Candidate c = candidates.get(from);
        if (c == null || c.answered || reply.nonce() != c.nonce || reply.mac() != c.record.mac()
                || reply.ipv4() != c.record.ipv4()) {
            long n = Metrics.incremented(repliesRefused);
            if (Long.bitCount(n) == 1) {
                log.warn("gateway probe answer from {} refused: {} ({} so far)", from.shortString(),
                        c == null ? "not a gateway that publishes" : c.answered || reply.nonce() != c.nonce ? "no such probe"
                                : "its MAC or address differs from its record", n);
            }
            return;
        }
        repliesAccepted.inc();
        c.answered = true;
        c.missed = 0;
        c.rtt = scheduler.nowMillis() - c.sentAt;
        if (!c.alive) {
            c.alive = true;
            log.info("gateway {} answers ({} ms)", c.record.site(), c.rtt);
        }
        publishView();
        if (chosen == null && settling == null) {
            settling = scheduler.schedule(settleMillis, () -> {
                settling = null;
                if (chosen == null) {
                    choose(best(null));
                }
            });
        }
    }

    private void failover() {
        Candidate failed = chosen;
        Candidate next = best(failed);
        failovers.inc();
        choose(next);
    }

    /** The alive candidate to take, other than {@code not}: lowest round trip, or the highest stable score. */
    private Candidate best(Candidate not) {
        Candidate best = null;
        for (Candidate c : candidates.values()) {
            if (c == not || !c.alive) {
                continue;
            }
            if (best == null || (random ? score(c) > score(best) : c.rtt < best.rtt)) {
                best = c;
            }
        }
        return best;
    }

    /** Rendezvous hashing of this node and the gateway: random across nodes, the same for one node every time. */
    private long score(Candidate c) {
        byte[] a = self.toBytes();
        byte[] b = c.record.address().toBytes();
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        long h = 0xcbf29ce484222325L;
        for (byte x : both) {
            h = (h ^ (x & 0xff)) * 0x100000001b3L;
        }
        return h ^ h >>> 29;
    }

    private void choose(Candidate next) {
        long now = scheduler.nowMillis();
        if (chosen == null && next != null) {
            without += now - withoutSince;
        } else if (chosen != null && next == null) {
            withoutSince = now;
        }
        chosen = next;
        if (next == null) {
            log.warn("no gateway answers: Internet-bound frames are dropped until one does");
        } else {
            log.info("gateway {} chosen ({} ms, {})", next.record.site(), next.rtt, random ? "random" : "lowest latency");
        }
        listener.accept(gateway(next));
        publishView();
    }

    private static Gateway gateway(Candidate c) {
        if (c == null) {
            return null;
        }
        GatewayRecord r = c.record;
        try {
            Inet4Address ip = (Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(r.ipv4()).array());
            return new Gateway(r.site(), MacAddress.of(r.mac()), ip, r.ipv6());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The chosen gateway's ring address, or null. */
    public RingAddress chosen() {
        return chosen == null ? null : chosen.record.address();
    }

    public long failovers() {
        return failovers.getLongValue();
    }

    /** Probe answers refused so far. */
    public long repliesRefused() {
        return repliesRefused.getLongValue();
    }

    /** The chosen gateway's site name, or null; any thread. */
    public String chosenSite() {
        return chosenSite;
    }

    /** The gateways that publish, as last probed, in the order they were found; any thread. */
    public List<GatewayCandidate> candidates() {
        return view;
    }

    /** Copies the candidates for the registry's readers; on the loop, after every change. */
    private void publishView() {
        List<GatewayCandidate> list = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            list.add(new GatewayCandidate(c.record.site(), c.record.address().toString(), c.rtt, c.missed, c.alive,
                    c.record.load()));
        }
        view = List.copyOf(list);
        chosenSite = chosen == null ? null : chosen.record.site();
    }

    /** Milliseconds this node had no gateway since it started, the current stretch included. */
    public long millisWithoutGateway() {
        return without + (chosen == null ? scheduler.nowMillis() - withoutSince : 0);
    }
}
