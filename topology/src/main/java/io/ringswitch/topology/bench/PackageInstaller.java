package io.ringswitch.topology.bench;

import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Installs from Debian what the systems need and this machine lacks, with
 * {@code apt-get install --no-install-recommends}, while a {@code policy-rc.d} that says no keeps
 * the packages from starting their system services (a tinc, OpenVPN or n2n service would take
 * the ports and names the bench uses). A package that does not install sinks only its own systems.
 */
final class PackageInstaller {
    private static final Path POLICY = Path.of("/usr/sbin/policy-rc.d");
    private static final Duration APT = Duration.ofMinutes(15);

    private final Consumer<String> progress;

    PackageInstaller(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Installs what is missing; returns, by system id, why a system cannot run. */
    Map<String, String> ensure(List<PeerSystem> systems) throws IOException {
        Map<String, String> unusable = new LinkedHashMap<>();
        List<PeerSystem> lacking = systems.stream().filter(s -> !missing(s).isEmpty()).toList();
        if (lacking.isEmpty()) {
            return unusable;
        }
        Set<String> packages = new LinkedHashSet<>();
        lacking.forEach(s -> packages.addAll(s.packages()));
        boolean madePolicy = false;
        try {
            if (!packages.isEmpty() && !Files.exists(POLICY)) {
                Files.writeString(POLICY, "#!/bin/sh\n# written by ringswitch bench --peers while it installs; removed after\nexit 101\n");
                madePolicy = true;
                if (!POLICY.toFile().setExecutable(true, false)) {
                    throw new IOException("cannot make " + POLICY + " executable");
                }
            }
            if (!packages.isEmpty()) {
                progress.accept("installing from Debian: " + String.join(" ", packages) + " (once)");
            }
            if (!packages.isEmpty() && !install(packages).ok()) {
                progress.accept("apt-get install failed; updating the package lists and trying each system alone");
                Shell.run(APT, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-q");
                for (PeerSystem system : lacking) {
                    Shell.Result r = install(system.packages());
                    if (!r.ok()) {
                        unusable.put(system.id(), "apt-get install " + String.join(" ", system.packages()) + " failed: "
                                + lastLine(r.output()));
                    }
                }
            }
        } finally {
            if (madePolicy) {
                Files.deleteIfExists(POLICY);
            }
        }
        for (PeerSystem system : lacking) {
            List<String> still = missing(system);
            if (!still.isEmpty() && !unusable.containsKey(system.id())) {
                unusable.put(system.id(), String.join(", ", still) + " not found" + (system.packages().isEmpty() ? ""
                        : " after installing " + String.join(" ", system.packages())));
            }
        }
        return unusable;
    }

    /** The programs of a system that are not on the PATH (nor in /usr/sbin, /sbin). */
    static List<String> missing(PeerSystem system) {
        List<String> out = new ArrayList<>();
        for (String program : system.programs()) {
            if (!onPath(program)) {
                out.add(program);
            }
        }
        return out;
    }

    private Shell.Result install(Iterable<String> packages) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
                "--no-install-recommends", "-o", "DPkg::Lock::Timeout=120"));
        packages.forEach(command::add);
        Shell.Result r = Shell.run(APT, command);
        progress.accept("apt-get install " + String.join(" ", command.subList(9, command.size())) + ": "
                + (r.ok() ? "done" : "failed (exit " + r.exitCode() + "): " + lastLine(r.output())));
        return r;
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1).trim();
    }
}
