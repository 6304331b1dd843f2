package io.ringswitch.topology.sim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The same scenario twice on the same ring (same seed, same certificates and so the same ring
 * addresses): bare, then with every node signing its DHT records and its routed messages and
 * broadcasts, as a secure group runs. It reports, for both, routed delivery, broadcast reach, DHT
 * availability before and after a share of the nodes crashes at once, and the CPU per routed
 * message, per broadcast and per DHT operation ({@link MessageCosts}, {@link DhtScenario}).
 * Before a ring larger than {@link #WARM_UP_NODES}, both kinds run once on a small ring whose
 * figures are thrown away: otherwise the first run pays for the JIT compiling the ring code and
 * looks the dearer.
 */
public final class SecurityComparison {

    /** Both runs' reports, and the table that sets them side by side. */
    public record Report(Map<String, Object> bare, Map<String, Object> signed, List<Row> table) {
    }

    /** One figure of both runs; {@code null} where a run has none. */
    public record Row(String figure, Object bare, Object signed) {
    }

    static final int WARM_UP_NODES = 200;

    private final SimulationSpec spec;

    /** {@code spec}'s DHT spec, or the defaults when it has none, signed in the second run only. */
    public SecurityComparison(SimulationSpec spec) {
        this.spec = spec;
    }

    public Report run(Consumer<String> progress) {
        DhtSpec dht = spec.dht() == null ? DhtSpec.defaults() : spec.dht();
        if (spec.nodes() > WARM_UP_NODES) {
            progress.accept("warm-up: both kinds on " + WARM_UP_NODES + " nodes, figures thrown away");
            SimulationSpec small = new SimulationSpec(WARM_UP_NODES, spec.seed() + 1, null, spec.ring(),
                    200, spec.latency(), false, DhtSpec.parse("keys=100,gets=100"));
            SimIdentities warm = new SimIdentities(Instant.now());
            new SecurityComparison(small).runBoth(small.dht(), warm, line -> { });
        }
        SimIdentities identities = new SimIdentities(Instant.now());
        return runBoth(dht, identities, progress);
    }

    private Report runBoth(DhtSpec dht, SimIdentities identities, Consumer<String> progress) {
        progress.accept("bare run (the nodes have certificates, but neither sign nor check)");
        Map<String, Object> bare = new RingSimulation(withSecurity(dht, false), identities).run(progress);
        progress.accept("signed run: signed DHT records, source signatures on routed messages and broadcasts");
        Map<String, Object> signed = new RingSimulation(withSecurity(dht, true), identities).run(progress);
        return new Report(bare, signed, table(bare, signed));
    }

    private SimulationSpec withSecurity(DhtSpec dht, boolean on) {
        DhtSpec d = new DhtSpec(dht.keys(), dht.replicas(), dht.killFraction(), dht.gets(), dht.ttlMillis(),
                dht.republishMillis(), on);
        return new SimulationSpec(spec.nodes(), spec.seed(), spec.churn(), spec.ring(), spec.probes(),
                spec.latency(), spec.verbose(), d, on, true);
    }

    /** The figures side by side. */
    static List<Row> table(Map<String, Object> bare, Map<String, Object> signed) {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("routed delivery, steady (random pairs)", get(bare, "delivery"), get(signed, "delivery")));
        rows.add(new Row("routed delivery, burst, first contact", get(bare, "costs", "delivery_first_contact"),
                get(signed, "costs", "delivery_first_contact")));
        rows.add(new Row("broadcast: nodes reached of live", reach(bare), reach(signed)));
        rows.add(new Row("DHT gets found before the crash", found(bare), found(signed)));
        rows.add(new Row("DHT keys found after the crash (owner alive)", foundAfter(bare), foundAfter(signed)));
        rows.add(new Row("DHT keys lost (owner alive)", get(bare, "dht", "gets_after_kill", "keys_lost"),
                get(signed, "dht", "gets_after_kill", "keys_lost")));
        rows.add(new Row("DHT back on every replica after (s)", get(bare, "dht", "kill", "full_replication_after_s"),
                get(signed, "dht", "kill", "full_replication_after_s")));
        rows.add(new Row("CPU us per routed message, first contact", get(bare, "costs", "cpu_us_per_message_first_contact"),
                get(signed, "costs", "cpu_us_per_message_first_contact")));
        rows.add(new Row("CPU us per routed message, again", get(bare, "costs", "cpu_us_per_message_again"),
                get(signed, "costs", "cpu_us_per_message_again")));
        rows.add(new Row("  of which signing and checking, first contact",
                get(bare, "costs", "signing_us_per_message_first_contact"),
                get(signed, "costs", "signing_us_per_message_first_contact")));
        rows.add(new Row("  of which signing and checking, again", get(bare, "costs", "signing_us_per_message_again"),
                get(signed, "costs", "signing_us_per_message_again")));
        rows.add(new Row("CPU us per broadcast, per node", get(bare, "costs", "cpu_us_per_broadcast_per_node"),
                get(signed, "costs", "cpu_us_per_broadcast_per_node")));
        rows.add(new Row("  of which checking the origin", get(bare, "costs", "signing_us_per_broadcast_per_node"),
                get(signed, "costs", "signing_us_per_broadcast_per_node")));
        rows.add(new Row("CPU us per DHT put (above idle)", get(bare, "dht", "cpu_us_per_put_above_idle"),
                get(signed, "dht", "cpu_us_per_put_above_idle")));
        rows.add(new Row("CPU us per DHT get (above idle)", get(bare, "dht", "gets", "cpu_us_per_get_above_idle"),
                get(signed, "dht", "gets", "cpu_us_per_get_above_idle")));
        rows.add(new Row("idle CPU us per node per s", get(bare, "costs", "idle_cpu_us_per_node_per_s"),
                get(signed, "costs", "idle_cpu_us_per_node_per_s")));
        rows.add(new Row("bytes per DHT key stored", get(bare, "dht", "bytes_per_key_stored"),
                get(signed, "dht", "bytes_per_key_stored")));
        rows.add(new Row("messages refused for their source", refused(bare), refused(signed)));
        rows.add(new Row("wall s (issuing certificates: CPU s)", bare.get("wall_seconds") + " (" + bare.get("identities_issue_cpu_s")
                + ")", String.valueOf(signed.get("wall_seconds"))));
        return rows;
    }

    /** The table for a terminal. */
    public static List<String> lines(Report report) {
        List<String> out = new ArrayList<>();
        out.add(String.format("%-46s %14s %14s", "", "bare", "signed"));
        for (Row row : report.table()) {
            out.add(String.format("%-46s %14s %14s", row.figure(), show(row.bare()), show(row.signed())));
        }
        return out;
    }

    private static String show(Object v) {
        return v instanceof Double d ? String.format("%.4f", d) : String.valueOf(v);
    }

    private static Object get(Map<String, Object> report, String... path) {
        Object at = report;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> map)) {
                return null;
            }
            at = map.get(key);
        }
        return at;
    }

    private static String reach(Map<String, Object> report) {
        return get(report, "broadcast", "reached") + "/" + get(report, "broadcast", "live");
    }

    private static Object found(Map<String, Object> report) {
        Object found = get(report, "dht", "gets", "found");
        Object asked = get(report, "dht", "gets", "asked");
        return found instanceof Number f && asked instanceof Number a && a.intValue() > 0
                ? f.doubleValue() / a.doubleValue() : null;
    }

    /** Keys whose owner lives that a get found after the crash, of all such keys. */
    private static Object foundAfter(Map<String, Object> report) {
        Object lost = get(report, "dht", "gets_after_kill", "keys_lost");
        Object gone = get(report, "dht", "gets_after_kill", "gone_with_their_owner");
        Object keys = get(report, "dht", "keys");
        if (!(keys instanceof Number k) || !(gone instanceof Number g) || !(lost instanceof Number l)) {
            return null;
        }
        double eligible = k.doubleValue() - g.doubleValue();
        return eligible <= 0 ? null : 1 - l.doubleValue() / eligible;
    }

    private static long refused(Map<String, Object> report) {
        Object counters = report.get("counters");
        return counters instanceof Map<?, ?> m && m.get("ring.forgedSource") instanceof Long n ? n : 0;
    }

    /** Both runs' reports and the table, as one object for JSON. */
    public static Map<String, Object> asJson(Report report) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row row : report.table()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("figure", row.figure());
            r.put("bare", row.bare());
            r.put("signed", row.signed());
            rows.add(r);
        }
        out.put("table", rows);
        out.put("bare", report.bare());
        out.put("signed", report.signed());
        return out;
    }
}
