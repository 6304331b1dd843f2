package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab's record of what it has built: each namespace is written down before it is created and
 * each node process as soon as it started, so that the state file never misses anything to remove.
 */
final class LabLedger {
    private final LabSpec spec;
    private final Path runDir;
    private final List<String> namespaces = new ArrayList<>();
    private final Map<Integer, Long> nodePids = new LinkedHashMap<>();

    LabLedger(LabSpec spec, Path runDir) {
        this.spec = spec;
        this.runDir = runDir;
    }

    void namespace(String ns) throws IOException {
        namespaces.add(ns);
        save();
    }

    void nodeStarted(int site, long pid) throws IOException {
        nodePids.put(site, pid);
        save();
    }

    /** Forgets a site's node; its process is the caller's to end. */
    Optional<Long> nodeStopped(int site) throws IOException {
        Long pid = nodePids.remove(site);
        save();
        return Optional.ofNullable(pid);
    }

    /** Whether any node has been started yet (the first one starts the ring). */
    boolean anyNodeStarted() {
        return !nodePids.isEmpty();
    }

    /** Sites whose node this lab runs now, with their process ids. */
    Map<Integer, Long> nodes() {
        return Map.copyOf(nodePids);
    }

    void save() throws IOException {
        new LabState(spec, namespaces, List.copyOf(nodePids.values())).write(runDir);
    }
}
