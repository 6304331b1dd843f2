package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.topology.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ringswitch crawl}: the ring's consistency figure for a running lab. */
@Command(name = "crawl", mixinStandardHelpOptions = true,
        description = "Check every node's first and second neighbours on both sides in a running lab.")
final class CrawlCommand implements Callable<Integer> {

    @Option(names = "--name", defaultValue = "lab", description = "Lab name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path dir = Lab.RUN_ROOT.resolve(name);
        if (!Files.exists(dir.resolve("state.json"))) {
            System.err.println("no lab named '" + name + "' is up (ringswitch lab up --name " + name + ")");
            return 1;
        }
        JsonNode state = new ObjectMapper().readTree(dir.resolve("state.json").toFile());
        int sites = state.path("spec").path("sites").asInt();
        Crawl.Result crawl = Lab.crawl(dir, sites);
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("nodes", crawl.nodes());
            out.put("consistent", crawl.consistent());
            out.put("consistency", crawl.consistency());
            out.put("inconsistent", crawl.inconsistent());
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.printf("crawl of lab '%s': %d/%d nodes consistent (%.3f)%s%n", name, crawl.consistent(),
                    crawl.nodes(), crawl.consistency(),
                    crawl.inconsistent().isEmpty() ? "" : "; off: " + crawl.inconsistent());
        }
        return crawl.consistency() == 1.0 ? 0 : 1;
    }
}
