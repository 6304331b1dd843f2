package io.ringswitch.topology.sim;

import io.ringswitch.overlay.ring.Crawl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Churn on a formed ring: a share of the nodes crashes and a share joins anew at random moments
 * of a window, while probes are routed between random nodes all through it; then the crawl is
 * watched until every node's neighbours are right again. Reports how many probes to nodes still
 * alive arrived, the consistency at the window's end and how long the ring took to recover.
 */
final class ChurnPhase {
    private final RingSimulation sim;
    private final Random random;

    ChurnPhase(RingSimulation sim, Random random) {
        this.sim = sim;
        this.random = random;
    }

    Map<String, Object> run(long t, Consumer<String> progress) {
        ChurnSpec churn = sim.spec().churn();
        boolean verbose = sim.spec().verbose();
        List<Integer> live = sim.liveIndices();
        int crashes = (int) Math.round(churn.crashFraction() * live.size());
        int joins = (int) Math.round(churn.joinFraction() * live.size());
        progress.accept(String.format("churn: %d crash and %d join within %.0f s", crashes, joins, churn.withinMillis() / 1000.0));
        List<Integer> victims = new ArrayList<>(live);
        Collections.shuffle(victims, random);
        for (int i = 0; i < crashes; i++) {
            sim.crashIn(t + (long) (random.nextDouble() * churn.withinMillis()) - sim.nowMillis(), victims.get(i));
        }
        for (int i = 0; i < joins; i++) {
            sim.joinIn(() -> t + (long) (random.nextDouble() * churn.withinMillis()) - sim.nowMillis());
        }
        Map<String, Long> countersBefore = sim.totals();
        int probeCount = Math.max(1000, sim.spec().probes());
        Supplier<List<RingSimulation.Route>> during = sim.probesFrom(t, probeCount, churn.withinMillis());
        long end = t + churn.withinMillis();
        sim.runUntil(end);
        Crawl.Result crawl = sim.crawl();
        double atEnd = crawl.consistency();
        long recovered = -1;
        long limit = end + 120_000;
        long step = 1_000;
        long now = end;
        while (now < limit) {
            if (crawl.consistency() >= 1.0) {
                recovered = now - end;
                break;
            }
            now += step;
            sim.runUntil(now);
            crawl = sim.crawl();
            if (verbose && (now - end) % 10_000 == 0) {
                progress.accept(String.format("  %.0f s after the churn: consistency %.4f", (now - end) / 1000.0, crawl.consistency()));
                sim.describeInconsistent(progress);
            }
        }
        sim.runUntil(Math.max(now, end + 30_000));
        List<RingSimulation.Route> routes = during.get();
        long eligible = routes.stream().filter(r -> sim.alive(r.dst())).count();
        long delivered = routes.stream().filter(r -> sim.alive(r.dst()) && r.delivered()).count();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("crashed", crashes);
        out.put("joined", joins);
        out.put("window_s", churn.withinMillis() / 1000.0);
        out.put("consistency_at_window_end", atEnd);
        out.put("recovered_after_s", recovered < 0 ? null : recovered / 1000.0);
        out.put("consistency", sim.crawl().consistency());
        out.put("probes_sent", routes.size());
        out.put("probes_to_live_nodes", eligible);
        out.put("delivered", delivered);
        out.put("delivery", eligible == 0 ? 1.0 : (double) delivered / eligible);
        Map<String, Long> countersAfter = sim.totals();
        Map<String, Long> drops = new LinkedHashMap<>();
        for (String key : List.of("ring.noRoute", "ring.retriesExhausted", "ring.ttlExpired", "ring.hopRetries")) {
            drops.put(key.substring(5), countersAfter.get(key) - countersBefore.get(key));
        }
        out.put("routing", drops);
        out.put("lost_to_joiners", routes.stream()
                .filter(r -> sim.alive(r.dst()) && !r.delivered() && r.dst() >= sim.spec().nodes()).count());
        progress.accept("churn: " + out);
        return out;
    }
}
