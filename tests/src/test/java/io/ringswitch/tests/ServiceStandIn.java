package io.ringswitch.tests;

import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What systemd would do to start a unit, as far as the node can tell, for a root without systemd:
 * runs the unit's ExecStart chrooted into a {@link CleanRoot}, inside a network namespace, with
 * the unit's hardening carried out by the same kernel means systemd uses
 * (systemd.exec(5)): CapabilityBoundingSet and NoNewPrivileges through {@code setpriv} (the
 * root's own, util-linux), ProtectSystem=strict as a read-only bind of the root with the
 * ReadWritePaths bound writable again, ProtectHome and PrivateTmp as tmpfs mounts, UMask as
 * {@code umask}, LimitNOFILE as {@code ulimit -n} (up to the hard limit where raising that is not
 * allowed). Every mount lives in a mount namespace of the service's own and goes with it.
 * Stopping sends SIGTERM, as {@code systemctl stop} does.
 */
final class ServiceStandIn implements AutoCloseable {
    private final Process process;

    private ServiceStandIn(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code unit} in {@code root} inside network namespace {@code netns}; {@code binds}
     * maps directories of the root (such as {@code /run/openvswitch}) to directories of this
     * machine bound there, as the host's own services would provide them. Output goes to {@code log}.
     */
    static ServiceStandIn start(UnitFile unit, CleanRoot root, String netns, Map<String, Path> binds, Path log)
            throws IOException {
        Process process = new ProcessBuilder(command(unit, root, netns, binds, unit.execStart())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServiceStandIn(process);
    }

    /**
     * Runs {@code command} instead of the unit's ExecStart, under the same hardening: what anything
     * the node runs (or anyone who took it over) could and could not do.
     */
    static Shell.Result runConfined(UnitFile unit, CleanRoot root, String netns, Map<String, Path> binds, Duration limit,
                                    String... command) throws IOException {
        return Shell.run(limit, command(unit, root, netns, binds, List.of(command)));
    }

    private static List<String> command(UnitFile unit, CleanRoot root, String netns, Map<String, Path> binds, List<String> exec)
            throws IOException {
        if (!unit.get("ProtectSystem").isEmpty() && !unit.get("ProtectSystem").equals("strict")) {
            throw new IOException("the stand-in knows ProtectSystem=strict only, not " + unit.get("ProtectSystem"));
        }
        StringBuilder script = new StringBuilder("set -e\n").append(CleanRoot.mounts(binds));
        if (unit.yes("PrivateTmp")) {
            script.append("mount -t tmpfs tmpfs \"$1/tmp\" && mount -t tmpfs tmpfs \"$1/var/tmp\"\n");
        }
        if (unit.yes("ProtectHome")) {
            script.append("mount -t tmpfs -o ro,mode=0755 tmpfs \"$1/root\" && mount -t tmpfs -o ro,mode=0755 tmpfs \"$1/home\"\n");
        }
        if (unit.get("ProtectSystem").equals("strict")) {
            for (String path : unit.readWritePaths()) {
                script.append("mount --bind \"$1").append(path).append("\" \"$1").append(path).append("\"\n");
            }
            // The root read-only; what is mounted on it (the API file systems, the paths above) keeps its own mode.
            script.append("mount --rbind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\"\n");
        }
        if (!unit.get("UMask").isEmpty()) {
            script.append("umask ").append(unit.get("UMask")).append('\n');
        }
        if (!unit.get("LimitNOFILE").isEmpty()) {
            // Raising the hard limit needs CAP_SYS_RESOURCE, which a container may lack: then up to the hard limit.
            script.append("ulimit -n ").append(unit.get("LimitNOFILE")).append(" 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"\n");
        }
        List<String> setpriv = new ArrayList<>(List.of("setpriv"));
        if (unit.yes("NoNewPrivileges")) {
            setpriv.add("--no-new-privs");
        }
        if (!unit.get("CapabilityBoundingSet").isEmpty()) {
            setpriv.add("--bounding-set=-all" + unit.capabilities().stream().map(c -> ",+" + c).reduce("", String::concat));
        }
        script.append("r=$1; shift; exec chroot \"$r\" \"$@\"\n");
        List<String> command = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", netns,
                "unshare", "--mount", "--propagation", "private", "sh", "-c", script.toString(), "sh", root.path().toString()));
        command.addAll(setpriv);
        command.add("--");
        command.addAll(exec);
        return command;
    }

    /**
     * The service's main process: every step up to the node's JVM replaces itself ({@code exec}),
     * so this is the JVM once it runs, as systemd's MainPID would be.
     */
    ProcessHandle mainProcess() {
        return process.toHandle();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** {@code systemctl stop}: SIGTERM and up to {@code limit} to go; true if it went. */
    boolean stop(Duration limit) throws InterruptedException {
        process.destroy();
        return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills whatever is left (systemd's SIGKILL after the stop timeout). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
