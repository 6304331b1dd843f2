package io.ringswitch.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code [Service]} section of a systemd unit file, read the way systemd reads it for an
 * instance of a template: {@code %i} replaced by the instance name (systemd.unit(5), "Specifiers").
 * It knows the keys that {@link ServiceStandIn} carries out and those it may leave to systemd;
 * any other key is refused, so that a hardening option added to the unit cannot go untested
 * without someone deciding so here.
 */
record UnitFile(Map<String, String> service) {
    /** Keys the stand-in carries out (see {@link ServiceStandIn}). */
    static final Set<String> CARRIED_OUT = Set.of("ExecStart", "CapabilityBoundingSet", "NoNewPrivileges",
            "ProtectSystem", "ProtectHome", "PrivateTmp", "ReadWritePaths", "LimitNOFILE", "UMask");
    /**
     * Keys the stand-in leaves to systemd, each for a reason: restarts and stop timeouts are
     * systemd's own behaviour, not the node's; the state directory is made by the package's
     * postinst too; module loading and cgroup writes are nothing the node tries.
     */
    static final Set<String> LEFT_TO_SYSTEMD = Set.of("Type", "Restart", "RestartSec", "TimeoutStopSec",
            "StateDirectory", "StateDirectoryMode", "ProtectKernelModules", "ProtectControlGroups");

    /** Reads {@code file} for instance {@code instance} (the {@code SITE} of {@code ringswitch@SITE.service}). */
    static UnitFile read(Path file, String instance) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            if (!section.equals("[Service]")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IOException(file + ": not a key=value line in [Service]: " + line);
            }
            String key = line.substring(0, eq).strip();
            if (!CARRIED_OUT.contains(key) && !LEFT_TO_SYSTEMD.contains(key)) {
                throw new IOException(file + ": the test's stand-in for systemd does not know " + key
                        + "=; carry it out in ServiceStandIn or say in UnitFile why systemd alone needs it");
            }
            String value = line.substring(eq + 1).strip().replace("%i", instance).replace("%%", "%");
            // Repeated list settings accumulate, as systemd does for ReadWritePaths= and friends.
            keys.merge(key, value, (a, b) -> a + " " + b);
        }
        if (!keys.containsKey("ExecStart")) {
            throw new IOException(file + " has no ExecStart=");
        }
        return new UnitFile(Map.copyOf(keys));
    }

    /** ExecStart's command line split into words (the unit quotes nothing, so blanks split). */
    List<String> execStart() {
        return words(service.get("ExecStart"));
    }

    /** The capabilities of CapabilityBoundingSet=, as setpriv names them ({@code net_admin}). */
    List<String> capabilities() {
        return words(service.getOrDefault("CapabilityBoundingSet", "")).stream()
                .map(c -> c.toLowerCase().replaceFirst("^cap_", "")).toList();
    }

    boolean yes(String key) {
        return List.of("yes", "true", "on", "1").contains(service.getOrDefault(key, "no").toLowerCase());
    }

    String get(String key) {
        return service.getOrDefault(key, "");
    }

    List<String> readWritePaths() {
        return words(get("ReadWritePaths"));
    }

    private static List<String> words(String value) {
        return value.isBlank() ? List.of() : Arrays.asList(value.strip().split("\\s+"));
    }
}
