package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.LabState;
import io.ringswitch.topology.SiteHealth;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringswitch crawl}: the ring's consistency figure for a running lab. */
@Command(name = "crawl", mixinStandardHelpOptions = true,
        description = "Check the first and second neighbours on both sides of every node that is up in a running lab; "
                + "nodes that are down (process gone, status stale) are left out and named.")
final class CrawlCommand implements Callable<Integer> {

    @Option(names = "--name", defaultValue = "lab", description = "Lab name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path dir = Lab.RUN_ROOT.resolve(name);
        Optional<LabState> state = LabState.read(dir);
        if (state.isEmpty()) {
            System.err.println("no lab named '" + name + "' is up (ringswitch lab up --name " + name + ")");
            return 1;
        }
        LabSpec spec = state.get().spec();
        List<SiteHealth> health = SiteHealth.of(dir, spec.sites()).stream().filter(h -> spec.member(h.site())).toList();
        List<String> down = health.stream().filter(h -> !h.up()).map(h -> "site " + h.site() + " (" + h.why() + ")").toList();
        Crawl.Result crawl = SiteHealth.crawl(health);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("nodes", crawl.nodes());
            out.put("consistent", crawl.consistent());
            out.put("consistency", crawl.consistency());
            out.put("inconsistent", crawl.inconsistent());
            out.put("down", down);
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.printf("crawl of lab '%s': %d/%d nodes consistent (%.3f)%s%n", name, crawl.consistent(),
                    crawl.nodes(), crawl.consistency(),
                    crawl.inconsistent().isEmpty() ? "" : "; off: " + crawl.inconsistent());
            if (!down.isEmpty()) {
                System.out.println("left out, down: " + String.join(", ", down));
            }
        }
        return crawl.consistency() == 1.0 ? 0 : 1;
    }
}
