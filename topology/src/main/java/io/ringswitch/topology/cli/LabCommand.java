package io.ringswitch.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Preflight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ringswitch lab up|down|status}: a lab that stays up between commands. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Bring a lab up, show its status, or take it down (also after a crash).")
final class LabCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "up, down or status")
    String action;

    @Option(names = "--topology", paramLabel = "FILE", description = "Lab description in YAML (see topology/labs/).")
    Path topology;

    @Option(names = "--name", description = "Lab name, when no --topology is given (default ${DEFAULT-VALUE}).",
            defaultValue = "lab")
    String name;

    @Option(names = "--sites", defaultValue = "2", description = "Sites, when no --topology is given (default ${DEFAULT-VALUE}).")
    int sites;

    @Option(names = "--hosts", defaultValue = "1", description = "Hosts per site, when no --topology is given (default ${DEFAULT-VALUE}).")
    int hosts;

    @Override
    public Integer call() throws Exception {
        Console console = new Console();
        LabSpec spec;
        try {
            spec = topology != null ? LabSpec.load(topology) : new LabSpec(name, sites, hosts, null, null).checked();
        } catch (IOException | IllegalArgumentException e) {
            console.accept("bad lab description: " + e.getMessage());
            return 2;
        }
        switch (action) {
            case "up" -> {
                try {
                    Lab.up(spec, Preflight.home(), console);
                } catch (IOException e) {
                    console.accept("the lab did not come up: " + e.getMessage());
                    return 1;
                }
                console.accept("lab '" + spec.name() + "' is up; hosts: ip netns exec " + spec.hostNamespace(1, 1)
                        + " ping " + spec.hostIp(2, 1) + "; remove it with: ringswitch lab down --name " + spec.name());
                return 0;
            }
            case "down" -> {
                Lab.down(spec.name(), console);
                return 0;
            }
            case "status" -> {
                return status(spec.name());
            }
            default -> {
                console.accept("unknown action '" + action + "': use up, down or status");
                return 2;
            }
        }
    }

    private static int status(String name) throws IOException {
        Path dir = Lab.RUN_ROOT.resolve(name);
        if (!Files.exists(dir.resolve("state.json"))) {
            System.out.println("no lab named '" + name + "' is up");
            return 1;
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode state = json.readTree(dir.resolve("state.json").toFile());
        int sites = state.path("spec").path("sites").asInt();
        System.out.println("lab '" + name + "': " + sites + " sites, namespaces " + state.path("namespaces").size());
        for (int s = 1; s <= sites; s++) {
            Path file = dir.resolve("s" + s).resolve("status.json");
            if (!Files.exists(file)) {
                System.out.printf("  site %d: no status (node not running?)%n", s);
                continue;
            }
            JsonNode st = json.readTree(file.toFile());
            JsonNode c = st.path("counters");
            System.out.printf("  site %d (%s, ring %s): bridge %s, overlay port %d, %s, %d links, remote MACs %d, "
                            + "frames out %d in %d, forwarded %d, rejected datagrams %d%n",
                    s, st.path("name").asText(), st.path("address").asText().substring(0, 8),
                    st.path("controller").path("switches").isEmpty() ? "NOT CONNECTED" : "connected",
                    st.path("controller").path("overlayPort").asInt(),
                    st.path("connected").asBoolean() ? "joined" : "NOT JOINED", st.path("links").size(),
                    st.path("remoteMacs").asInt(), c.path("framesFromPort").asLong(), c.path("framesToPort").asLong(),
                    c.path("ring.forwarded").asLong(), sumRejects(c));
        }
        Crawl.Result crawl = Lab.crawl(dir, sites);
        System.out.printf("  crawl: %d/%d nodes have the right first and second neighbours on both sides (consistency %.3f)%n",
                crawl.consistent(), crawl.nodes(), crawl.consistency());
        return 0;
    }

    private static long sumRejects(JsonNode counters) {
        long sum = 0;
        var it = counters.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().startsWith("reject.")) {
                sum += e.getValue().asLong();
            }
        }
        return sum;
    }
}
