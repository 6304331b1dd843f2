package io.ringswitch.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (Debian's {@code prometheus}) scraping a lab's nodes: started in the lab's WAN
 * namespace, which gets an address of its own on the underlay bridge so that every open site's
 * operator address is reachable, with its configuration and
 * data under the lab's run directory, and queried through its HTTP API (PromQL). The lab's
 * teardown ends it with every other process of its namespaces; {@link #close} ends it sooner.
 */
public final class PrometheusScrape implements AutoCloseable {
    /** Where Prometheus listens inside the WAN namespace. */
    static final String LISTEN = "127.0.0.1:9090";
    /**
     * The WAN namespace's own address on the sites' underlay bridge, which Prometheus scrapes from
     * (beside the group server's {@link LabSpec#GROUP_SERVER_IP} and the internet's .254).
     */
    static final String SCRAPER_IP = "10.99.0.252";
    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final Process process;
    private final Path log;

    private PrometheusScrape(String namespace, Process process, Path log) {
        this.namespace = namespace;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts Prometheus in {@code lab}'s WAN namespace, scraping {@code targets} ({@code host:port}
     * each, labelled {@code site} from {@code sites}) every {@code interval}; returns once it
     * answers as ready.
     */
    public static PrometheusScrape start(Lab lab, Map<String, String> sites, Duration interval)
            throws IOException, InterruptedException {
        String ns = lab.spec().wanNamespace();
        Path dir = lab.runDir().resolve("prometheus");
        Files.createDirectories(dir.resolve("data"));
        StringBuilder config = new StringBuilder()
                .append("global:\n  scrape_interval: ").append(interval.toMillis()).append("ms\n")
                .append("  scrape_timeout: ").append(interval.toMillis()).append("ms\n")
                .append("scrape_configs:\n  - job_name: ringswitch\n    static_configs:\n");
        for (Map.Entry<String, String> target : sites.entrySet()) {
            config.append("      - targets: ['").append(target.getValue()).append("']\n")
                    .append("        labels: {site: '").append(target.getKey()).append("'}\n");
        }
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config.toString());
        Shell.run(Duration.ofSeconds(10), "ip", "-n", ns, "link", "set", "lo", "up").orThrow();
        Shell.run(Duration.ofSeconds(10), "ip", "-n", ns, "addr", "replace", SCRAPER_IP + "/24", "dev", "br0").orThrow();
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(Shell.inNetns(ns, "prometheus", "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=" + LISTEN,
                "--storage.tsdb.retention.time=1h", "--log.level=warn"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        PrometheusScrape scrape = new PrometheusScrape(ns, process, log);
        try {
            scrape.awaitReady();
            return scrape;
        } catch (IOException | InterruptedException | RuntimeException e) {
            scrape.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long end = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new IOException("prometheus ended (exit " + process.exitValue() + "); see " + log + ": "
                        + Teardown.tail(log));
            }
            Shell.Result ready = Shell.run(Duration.ofSeconds(5),
                    Shell.inNetns(namespace, "curl", "-sf", "http://" + LISTEN + "/-/ready"));
            if (ready.exitCode() == 0) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IOException("prometheus did not answer as ready within " + START_LIMIT.toSeconds() + " s; see " + log);
    }

    /** One sample of an instant query's result: its labels and value. */
    public record Sample(Map<String, String> labels, double value) {
    }

    /** The result of the instant PromQL query {@code promql}, evaluated now. */
    public List<Sample> query(String promql) throws IOException {
        Shell.Result r = Shell.run(Duration.ofSeconds(10), Shell.inNetns(namespace, "curl", "-sf", "-G",
                "http://" + LISTEN + "/api/v1/query", "--data-urlencode", "query=" + promql));
        if (r.exitCode() != 0) {
            throw new IOException("prometheus query '" + promql + "' failed: " + r.output());
        }
        JsonNode answer = JSON.readTree(r.output().getBytes(StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new IOException("prometheus query '" + promql + "': " + answer.path("error").asText(r.output()));
        }
        List<Sample> out = new ArrayList<>();
        for (JsonNode series : answer.path("data").path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            series.path("metric").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            out.add(new Sample(labels, Double.parseDouble(series.path("value").get(1).asText())));
        }
        return out;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
