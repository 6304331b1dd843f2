package io.ringswitch.topology.bench;

import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.time.Duration;

/**
 * The underlay every tunnel runs over: namespaces {@code a} and {@code b} joined by a veth pair
 * ({@code vbA} 10.250.0.1/24, {@code vbB} 10.250.0.2/24, MTU 1500), made directly inside the
 * namespaces so that no name is ever taken in the host's own namespace.
 */
final class NamespacePair {
    static final String UNDERLAY_A = "10.250.0.1";
    static final String UNDERLAY_B = "10.250.0.2";
    private static final Duration CMD = Duration.ofSeconds(30);

    private final RunContext run;

    NamespacePair(RunContext run) {
        this.run = run;
    }

    String namespace(String side) {
        return run.namespace(side);
    }

    /** The veth end in a side's namespace. */
    static String veth(String side) {
        return side.equals("a") ? "vbA" : "vbB";
    }

    /** The underlay address of a side. */
    static String underlay(String side) {
        return side.equals("a") ? UNDERLAY_A : UNDERLAY_B;
    }

    /** Creates both namespaces and the veth pair; each namespace is recorded in {@code cleanup} before it exists. */
    void create(Cleanup cleanup) throws IOException {
        for (String side : new String[] {"a", "b"}) {
            String ns = namespace(side);
            cleanup.add("namespace " + ns, () -> remove(ns));
            Shell.run(CMD, "ip", "netns", "add", ns).orThrow();
        }
        Shell.run(CMD, "ip", "link", "add", veth("a"), "netns", namespace("a"), "type", "veth",
                "peer", "name", veth("b"), "netns", namespace("b")).orThrow();
        for (String side : new String[] {"a", "b"}) {
            String ns = namespace(side);
            Shell.run(CMD, "ip", "-n", ns, "addr", "add", underlay(side) + "/24", "dev", veth(side)).orThrow();
            Shell.run(CMD, "ip", "-n", ns, "link", "set", "lo", "up").orThrow();
            Shell.run(CMD, "ip", "-n", ns, "link", "set", veth(side), "up").orThrow();
        }
    }

    /** Ends whatever still runs in the namespace (an iperf3 server, a daemon that outlived its stop), then deletes it. */
    private static void remove(String ns) throws Exception {
        Shell.Result list = Shell.run(CMD, "ip", "netns", "list");
        if (!list.output().lines().map(l -> l.split(" ")[0]).toList().contains(ns)) {
            return;
        }
        for (String pid : Shell.run(CMD, "ip", "netns", "pids", ns).output().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                    try {
                        Cleanup.terminate(p, Duration.ofSeconds(3));
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
            }
        }
        Shell.run(CMD, "ip", "netns", "delete", ns).orThrow();
    }
}
