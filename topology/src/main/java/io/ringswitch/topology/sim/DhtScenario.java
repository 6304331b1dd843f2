package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.VirtualClock;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtRecord;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.dht.DhtValue;
import io.ringswitch.overlay.ring.dht.Replicas;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.node.RingNode;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The DHT at scale, on a ring that has formed: random nodes store keys (each kept alive by the
 * node that put it, its owner, which puts it again every {@code republish}), random nodes
 * get them while the latency model delays every hop, then a share of the nodes dies at once. Every
 * second after that it counts, for each key, how many of the {@code k} live nodes nearest the key
 * hold it, until every key is back on all {@code k}. A key whose holders all died at once (with a
 * share {@code f} killed, about {@code f^k} of the keys) comes back only when its owner puts it
 * again; one whose owner died too is gone, as the directory entry of a dead site should be. At
 * the end every key is asked for once more: a key not found although its owner lives is lost.
 * The CPU time the whole simulated ring spent while the keys were put and while they were got,
 * divided by the operations, is reported as {@code cpu_us_per_put} and {@code cpu_us_per_get}: the
 * simulator runs every node on one thread, so it holds the requester's, the routers' and the
 * holders' work (signing and checking records in a signed run), and the ring's upkeep meanwhile.
 * Given the ring's idle CPU per virtual millisecond (measured by {@link MessageCosts}), it also
 * reports {@code cpu_us_per_put_above_idle} and {@code cpu_us_per_get_above_idle}: the same with
 * the upkeep of the phase's length taken off.
 */
final class DhtScenario {
    private static final long STORE_SPREAD_MILLIS = 10_000;
    private static final long GET_SPREAD_MILLIS = 20_000;
    private static final long ANSWER_MILLIS = 15_000;
    private static final long WATCH_AT_LEAST_MILLIS = 60_000;
    private static final long WATCH_AT_MOST_MILLIS = 180_000;

    /**
     * What the scenario needs of the simulation: the live nodes that are part of the ring, a way
     * to crash nodes at once (no goodbye to anybody), and the bytes of DHT payloads sent so far.
     */
    record Ring(Supplier<List<RingNode>> live, Consumer<Set<RingNode>> kill, LongSupplier dhtBytes) {
    }

    private final DhtSpec spec;
    private final Ring ring;
    private final VirtualClock clock;
    private final Random random;
    private final List<DhtKey> keys = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();
    private final Map<DhtKey, Integer> indexOf = new HashMap<>();
    private final RingNode[] owners;
    private Set<RingNode> victims = Set.of();
    private final double idleNanosPerMilli;

    /** {@code idleNanosPerMilli}: the ring's CPU per virtual millisecond when idle, 0 when not measured. */
    DhtScenario(DhtSpec spec, Ring ring, VirtualClock clock, Random random, double idleNanosPerMilli) {
        this.spec = spec;
        this.idleNanosPerMilli = idleNanosPerMilli;
        this.ring = ring;
        this.clock = clock;
        this.random = random;
        this.owners = new RingNode[spec.keys()];
        for (int i = 0; i < spec.keys(); i++) {
            DhtKey key = DhtKey.of("sim/key-" + i);
            keys.add(key);
            values.add(("value of key " + i).getBytes(StandardCharsets.UTF_8));
            indexOf.put(key, i);
        }
    }

    Map<String, Object> run(Consumer<String> progress) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("keys", spec.keys());
        out.put("replicas", spec.replicas());
        long bytesBefore = ring.dhtBytes().getAsLong();
        long cpu = cpuNanos();
        long virtual = clock.nowMillis();
        out.put("puts", store());
        out.put("cpu_us_per_put", (cpuNanos() - cpu) / 1000 / spec.keys());
        aboveIdle(out, "cpu_us_per_put_above_idle", cpu, virtual, spec.keys());
        out.put("bytes_per_key_stored", (ring.dhtBytes().getAsLong() - bytesBefore) / spec.keys());
        clock.runUntil(clock.nowMillis() + 10_000);
        out.put("replicas_after_puts", histogram(replicaCounts(ring.live().get())));
        progress.accept("dht: stored " + spec.keys() + " keys: " + out.get("puts") + ", replicas " + out.get("replicas_after_puts"));
        if (spec.gets() > 0) {
            long before = cpuNanos();
            long virtualBefore = clock.nowMillis();
            Map<String, Object> gets = timedGets(spec.gets());
            gets.put("cpu_us_per_get", (cpuNanos() - before) / 1000 / spec.gets());
            aboveIdle(gets, "cpu_us_per_get_above_idle", before, virtualBefore, spec.gets());
            progress.accept("dht: gets " + gets);
            out.put("gets", gets);
        }
        Map<String, Object> kill = killAndWatch(progress);
        out.put("kill", kill);
        out.put("gets_after_kill", findEveryKey());
        progress.accept("dht: after the kill every key asked for once: " + out.get("gets_after_kill"));
        return out;
    }

    /** Each key put by a random node, which keeps it alive; the answers counted by status. */
    private Map<String, Long> store() {
        long start = clock.nowMillis();
        List<DhtResult> results = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int k = i;
            clock.schedule(k * STORE_SPREAD_MILLIS / keys.size(), () -> {
                owners[k] = randomNode();
                owners[k].dht().publish(keys.get(k), values.get(k), spec.ttlMillis(), spec.republishMillis()).latest()
                        .thenAccept(results::add);
            });
        }
        clock.runUntil(start + STORE_SPREAD_MILLIS + ANSWER_MILLIS);
        Map<String, Long> byStatus = new TreeMap<>();
        results.forEach(r -> byStatus.merge(r.status().name(), 1L, Long::sum));
        byStatus.put("unanswered", (long) keys.size() - results.size());
        return byStatus;
    }

    /** CPU per operation since {@code cpuBefore}, less the idle ring's over the same virtual time. */
    private void aboveIdle(Map<String, Object> out, String name, long cpuBefore, long virtualBefore, int operations) {
        if (idleNanosPerMilli > 0) {
            double idle = idleNanosPerMilli * (clock.nowMillis() - virtualBefore);
            out.put(name, Math.round((cpuNanos() - cpuBefore - idle) / 1000 / operations));
        }
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private RingNode randomNode() {
        List<RingNode> live = ring.live().get();
        return live.get(random.nextInt(live.size()));
    }

    /** Gets of random keys from random nodes: hops there and back, and milliseconds from ask to answer. */
    private Map<String, Object> timedGets(int count) {
        long start = clock.nowMillis();
        List<long[]> done = new ArrayList<>();
        int[] found = new int[1];
        for (int i = 0; i < count; i++) {
            clock.schedule(i * GET_SPREAD_MILLIS / count, () -> {
                int k = random.nextInt(keys.size());
                long asked = clock.nowMillis();
                randomNode().dht().get(keys.get(k)).thenAccept(r -> {
                    if (r.status() == DhtStatus.OK && holds(r.values(), values.get(k))) {
                        found[0]++;
                        done.add(new long[] {clock.nowMillis() - asked, r.requestHops(), r.requestHops() + r.replyHops()});
                    }
                });
            });
        }
        clock.runUntil(start + GET_SPREAD_MILLIS + ANSWER_MILLIS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asked", count);
        out.put("found", found[0]);
        out.put("ms", stats(done, 0));
        out.put("hops_to_key", stats(done, 1));
        out.put("hops_there_and_back", stats(done, 2));
        return out;
    }

    /** Whether {@code value} is among the values: bare, or inside a record (what a holder of a signed run keeps). */
    private static boolean holds(List<DhtValue> held, byte[] value) {
        return held.stream().anyMatch(v -> v.sameBytes(value) || Arrays.equals(inside(v.bytes()), value));
    }

    private static byte[] inside(byte[] bytes) {
        try {
            return DhtRecord.parse(bytes).value();
        } catch (RingMessageCodec.MalformedException e) {
            return null;
        }
    }

    private static Map<String, Object> stats(List<long[]> samples, int column) {
        long[] v = samples.stream().mapToLong(s -> s[column]).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mean", v.length == 0 ? null : Math.round(Arrays.stream(v).average().orElse(0) * 100) / 100.0);
        out.put("p50", v.length == 0 ? null : v[(v.length - 1) / 2]);
        out.put("p99", v.length == 0 ? null : v[Math.min(v.length - 1, (int) Math.ceil(v.length * 0.99) - 1)]);
        out.put("max", v.length == 0 ? null : v[v.length - 1]);
        return out;
    }

    /** Kills a share of the nodes at once and watches every key's replicas come back. */
    private Map<String, Object> killAndWatch(Consumer<String> progress) {
        List<RingNode> live = new ArrayList<>(ring.live().get());
        Collections.shuffle(live, random);
        int killed = (int) Math.round(spec.killFraction() * live.size());
        victims = Collections.newSetFromMap(new IdentityHashMap<>());
        victims.addAll(live.subList(0, killed));
        ring.kill().accept(victims);
        progress.accept("dht: killed " + killed + " of " + live.size() + " nodes at once");
        long start = clock.nowMillis();
        long bytesBefore = ring.dhtBytes().getAsLong();
        int[] atOnce = copiesAnywhere(ring.live().get());
        Set<Integer> orphaned = new HashSet<>();
        Set<Integer> gone = new HashSet<>();
        for (int k = 0; k < keys.size(); k++) {
            if (atOnce[k] == 0) {
                orphaned.add(k);
                if (victims.contains(owners[k])) {
                    gone.add(k);
                }
            }
        }
        List<Map<String, Object>> timeline = new ArrayList<>();
        long fullAfter = -1;
        long replicatedAfter = -1;
        long republishedAfter = -1;
        for (long s = 0; s * 1000 <= WATCH_AT_MOST_MILLIS; s++) {
            clock.runUntil(start + s * 1000);
            List<RingNode> now = ring.live().get();
            int[] replicas = replicaCounts(now);
            int survivorsShort = 0;
            int orphansShort = 0;
            for (int k = 0; k < keys.size(); k++) {
                if (replicas[k] < spec.replicas() && !orphaned.contains(k)) {
                    survivorsShort++;
                } else if (replicas[k] < spec.replicas() && !gone.contains(k)) {
                    orphansShort++;
                }
            }
            replicatedAfter = replicatedAfter < 0 && survivorsShort == 0 ? s : replicatedAfter;
            republishedAfter = republishedAfter < 0 && orphansShort == 0 ? s : republishedAfter;
            if (fullAfter < 0 && survivorsShort + orphansShort == 0) {
                fullAfter = s;
            }
            if (s % 5 == 0 || fullAfter == s) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("t_s", s);
                point.put("replicas", histogram(replicas));
                point.put("copies_elsewhere", Arrays.stream(copiesAnywhere(now)).sum() - Arrays.stream(replicas).sum());
                timeline.add(point);
                progress.accept("dht: " + s + " s after the kill: replicas " + point.get("replicas") + ", copies elsewhere "
                        + point.get("copies_elsewhere"));
            }
            if (fullAfter >= 0 && s * 1000 >= WATCH_AT_LEAST_MILLIS) {
                break;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("killed", killed);
        out.put("live", live.size() - killed);
        out.put("keys_with_every_holder_killed", orphaned.size());
        out.put("of_which_owner_killed_too", gone.size());
        out.put("full_replication_after_s", fullAfter < 0 ? null : fullAfter);
        out.put("keys_with_a_survivor_replicated_after_s", replicatedAfter < 0 ? null : replicatedAfter);
        out.put("keys_without_republished_after_s", republishedAfter < 0 ? null : republishedAfter);
        out.put("bytes_per_live_node_while_watched", (ring.dhtBytes().getAsLong() - bytesBefore) / Math.max(1, live.size() - killed));
        out.put("replicas_over_time", timeline);
        return out;
    }

    /** For each key, how many of the {@code k} live nodes nearest it hold its value. */
    private int[] replicaCounts(List<RingNode> live) {
        RingNode[] sorted = live.toArray(new RingNode[0]);
        Arrays.sort(sorted, (a, b) -> a.address().compareTo(b.address()));
        RingAddress[] addresses = Arrays.stream(sorted).map(RingNode::address).toArray(RingAddress[]::new);
        int k = spec.replicas();
        int n = sorted.length;
        int[] counts = new int[keys.size()];
        for (int j = 0; j < keys.size(); j++) {
            RingAddress target = keys.get(j).address();
            int at = Arrays.binarySearch(addresses, target);
            int from = at >= 0 ? at : -at - 1;
            List<RingNode> around = new ArrayList<>(2 * k);
            for (int d = -k; d < k && around.size() < n; d++) {
                around.add(sorted[Math.floorMod(from + d, n)]);
            }
            around.sort((a, b) -> Replicas.compare(target, a.address(), b.address()));
            for (int i = 0; i < Math.min(k, around.size()); i++) {
                if (holds(around.get(i).dht().localValues(keys.get(j)), values.get(j))) {
                    counts[j]++;
                }
            }
        }
        return counts;
    }

    /** For each key, how many live nodes hold any copy of it, nearest or not. */
    private int[] copiesAnywhere(List<RingNode> live) {
        int[] copies = new int[keys.size()];
        for (RingNode node : live) {
            for (DhtKey key : node.dht().localKeys()) {
                Integer j = indexOf.get(key);
                if (j != null) {
                    copies[j]++;
                }
            }
        }
        return copies;
    }

    private Map<String, Long> histogram(int[] replicas) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int r = 0; r <= spec.replicas(); r++) {
            int want = r;
            out.put(Integer.toString(r), Arrays.stream(replicas).filter(x -> x == want).count());
        }
        return out;
    }

    /**
     * Every key asked for once, from a random live node; a key not found although its owner lives
     * is lost, one whose owner died is counted apart.
     */
    private Map<String, Object> findEveryKey() {
        long start = clock.nowMillis();
        Map<String, Long> outcomes = new TreeMap<>();
        int[] lost = new int[1];
        int[] goneWithOwner = new int[1];
        int[] answered = new int[1];
        for (int i = 0; i < keys.size(); i++) {
            int k = i;
            clock.schedule(k * STORE_SPREAD_MILLIS / keys.size(), () -> randomNode().dht().get(keys.get(k)).thenAccept(r -> {
                answered[0]++;
                boolean found = r.status() == DhtStatus.OK && holds(r.values(), values.get(k));
                outcomes.merge(found ? "found" : r.status().name(), 1L, Long::sum);
                if (!found && victims.contains(owners[k])) {
                    goneWithOwner[0]++;
                } else if (!found) {
                    lost[0]++;
                }
            }));
        }
        clock.runUntil(start + STORE_SPREAD_MILLIS + ANSWER_MILLIS);
        Map<String, Object> out = new LinkedHashMap<>();
        out.putAll(outcomes);
        out.put("unanswered", keys.size() - answered[0]);
        out.put("keys_lost", lost[0] + keys.size() - answered[0]);
        out.put("gone_with_their_owner", goneWithOwner[0]);
        return out;
    }
}
