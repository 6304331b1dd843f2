package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Removes a lab, from its state file and from the namespaces whose names say they belong to it,
 * so that a lab left by a crashed process goes as completely as one taken down in order.
 */
final class Teardown {
    private static final Duration CMD = Duration.ofSeconds(30);

    private Teardown() {
    }

    /** Removes the lab {@code name}: node processes, OVS instances, namespaces and its run directory. */
    static void down(String name, Consumer<String> progress) throws InterruptedException {
        Path dir = Lab.RUN_ROOT.resolve(name);
        List<String> namespaces = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        try {
            LabState.read(dir).ifPresent(state -> {
                namespaces.addAll(state.namespaces());
                pids.addAll(state.nodePids());
            });
        } catch (IOException e) {
            progress.accept("state file in " + dir + " unreadable (" + e.getMessage() + "); cleaning by name");
        }
        for (String ns : leftovers(LabSpec.of(name, 2, 1))) {
            if (!namespaces.contains(ns)) {
                namespaces.add(ns);
            }
        }
        if (namespaces.isEmpty() && !Files.exists(dir) && etcLeftovers(name).isEmpty()) {
            progress.accept("no lab named '" + name + "' is up");
            return;
        }
        progress.accept("stopping lab '" + name + "': " + pids.size() + " node(s), " + namespaces.size() + " namespace(s)");
        for (long pid : pids) {
            NodeProcesses.terminate(pid, false);
        }
        OvsInstances ovs = new OvsInstances(Preflight.home());
        for (String ns : namespaces) {
            ovs.stopQuietly(ns, dir.resolve(ns.substring(ns.lastIndexOf('-') + 1)));
        }
        for (String ns : namespaces) {
            killAllIn(ns);
            try {
                Shell.run(CMD, "ip", "netns", "delete", ns);
            } catch (IOException e) {
                // Teardown goes on: the next lab down tries again.
            }
        }
        for (String ns : namespaces) {
            deleteTree(NETNS_ETC.resolve(ns));
        }
        for (String ns : etcLeftovers(name)) {
            deleteTree(NETNS_ETC.resolve(ns));
        }
        try {
            // The lab made /etc/netns when there was none; an empty one is left to no one.
            Files.deleteIfExists(NETNS_ETC);
        } catch (IOException e) {
            // Not empty: other namespaces' files live there.
        }
        deleteTree(dir);
    }

    /**
     * Where {@code ip netns exec} finds a namespace's own files (resolv.conf), bind-mounted over /etc:
     * the lab writes its hosts' resolvers there.
     */
    static final Path NETNS_ETC = Path.of("/etc/netns");

    /** Directories of /etc/netns whose names say they belong to the lab {@code name}. */
    private static List<String> etcLeftovers(String name) {
        String prefix = LabSpec.of(name, 2, 1).prefix() + "-";
        try (Stream<Path> list = Files.exists(NETNS_ETC) ? Files.list(NETNS_ETC) : Stream.empty()) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Namespaces whose names say they belong to this lab. */
    static List<String> leftovers(LabSpec spec) {
        try {
            Shell.Result r = Shell.run(CMD, "ip", "netns", "list");
            List<String> out = new ArrayList<>();
            for (String line : r.output().split("\n")) {
                String ns = line.split(" ")[0].trim();
                if (ns.startsWith(spec.prefix() + "-")) {
                    out.add(ns);
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Keeps the node and switch logs, status files and node configs of a failed lab where the next
     * person can read them; returns that directory.
     */
    static Path saveLogs(LabSpec spec, Path runDir, Consumer<String> progress) {
        Path keep = Path.of(System.getProperty("java.io.tmpdir"), "ringswitch-failed-" + spec.name());
        try {
            Files.createDirectories(keep);
            for (int s = 1; s <= spec.sites(); s++) {
                for (String f : List.of("node.log", "ovs-vswitchd.log", "status.json", "node.yaml", NodeProcesses.PAYLOAD_RECORD)) {
                    Path src = runDir.resolve("s" + s).resolve(f);
                    if (Files.exists(src)) {
                        Files.copy(src, keep.resolve("s" + s + "-" + f), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            progress.accept("logs of the failed lab copied to " + keep);
        } catch (IOException e) {
            progress.accept("could not keep the logs: " + e.getMessage());
        }
        return keep;
    }

    /** The last lines of a log, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void killAllIn(String ns) throws InterruptedException {
        try {
            String out = Shell.run(CMD, "ip", "netns", "pids", ns).output();
            for (String pid : out.split("\\s+")) {
                if (pid.matches("\\d+")) {
                    NodeProcesses.terminate(Long.parseLong(pid), false);
                }
            }
        } catch (IOException e) {
            // The namespace is already gone.
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Left for the next lab down.
        }
    }
}
