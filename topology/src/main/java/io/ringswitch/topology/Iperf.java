package io.ringswitch.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;


/** TCP throughput between two namespaces with iperf3 (server for one test, then gone). */
final class Iperf {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs a command in a namespace. */
    interface Exec {
        Shell.Result exec(String namespace, Duration limit, String... command) throws IOException;
    }

    private Iperf() {
    }

    /**
     * Runs one test of {@code seconds} from the client's namespace to the server's address and
     * returns what the server received, Mbit/s; {@code clientOptions} go to the client (e.g.
     * {@code -b 100M}, {@code --repeating-payload}).
     */
    static double measure(Exec exec, String serverNs, String serverIp, String clientNs, int seconds, Path logDir,
                          String... clientOptions) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(Shell.inNetns(serverNs, "iperf3", "-s", "-1", "-B", serverIp))
                .redirectErrorStream(true)
                .redirectOutput(logDir.resolve("iperf3-server.log").toFile())
                .start();
        try {
            Shell.Result result = null;
            for (int attempt = 0; attempt < 20; attempt++) {
                Thread.sleep(150);
                List<String> client = new ArrayList<>(List.of("iperf3", "-c", serverIp, "-t", Integer.toString(seconds), "-J"));
                client.addAll(List.of(clientOptions));
                result = exec.exec(clientNs, Duration.ofSeconds(seconds + 30), client.toArray(String[]::new));
                if (result.ok() || !result.output().contains("Connection refused")) {
                    break;
                }
            }
            JsonNode json = JSON.readTree(result.output());
            if (json.has("error")) {
                throw new IOException("iperf3 to " + serverIp + " failed: " + json.get("error").asText());
            }
            return json.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e6;
        } finally {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            server.waitFor();
        }
    }

}
