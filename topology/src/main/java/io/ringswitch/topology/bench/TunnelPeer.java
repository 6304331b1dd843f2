package io.ringswitch.topology.bench;

import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A system built over a {@link NamespacePair}: the pair, a work directory for its keys, configs and
 * logs, and its daemons, all recorded in one {@link Cleanup} so that {@link #down} removes them
 * whatever point {@link #up} reached. Subclasses say how to start the tunnel.
 */
abstract class TunnelPeer implements PeerSystem {
    static final Duration CMD = Duration.ofSeconds(30);
    private static final Duration PATH_LIMIT = Duration.ofSeconds(30);

    protected final RunContext run;
    protected final NamespacePair pair;
    private final Cleanup cleanup = new Cleanup();
    private final List<Daemon> daemons = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private Path dir;

    TunnelPeer(RunContext run) {
        this.run = run;
        this.pair = new NamespacePair(run);
    }

    @Override
    public List<String> packages() {
        return List.of();
    }

    @Override
    public List<String> programs() {
        return List.of();
    }

    @Override
    public final Endpoints up() throws IOException, InterruptedException {
        dir = run.workDir().resolve(id());
        cleanup.add("directory " + dir, () -> Cleanup.deleteTree(dir));
        Files.createDirectories(dir);
        pair.create(cleanup);
        Endpoints ends = start();
        awaitPath(ends);
        return ends;
    }

    /** Starts the tunnel over the pair and says where to measure it; {@link #up} then waits for the path. */
    protected abstract Endpoints start() throws IOException, InterruptedException;

    @Override
    public final void down() {
        for (String failure : cleanup.unwind()) {
            run.progress().accept(label() + ": could not remove " + failure);
        }
        daemons.clear();
        logs.clear();
    }

    @Override
    public final List<Daemon> daemonPids() {
        return List.copyOf(daemons);
    }

    /** This system's work directory (private to root: it holds keys). */
    protected Path dir() {
        return dir;
    }

    protected Cleanup cleanup() {
        return cleanup;
    }

    /**
     * Starts a daemon that stays in the foreground, inside a side's namespace; {@code ip netns exec}
     * execs it, so the process started is the daemon itself. Its output is appended to {@code log}.
     */
    protected Process daemon(String side, String log, String... command) throws IOException {
        Path logFile = dir.resolve(log);
        Process process = new ProcessBuilder(Shell.inNetns(pair.namespace(side), command))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        cleanup.add(command[0] + " (pid " + process.pid() + ")", () -> Cleanup.terminate(process.toHandle(), Duration.ofSeconds(5)));
        daemons.add(new Daemon(side, process.pid()));
        logs.add(logFile);
        return process;
    }

    /** Counts a daemon that detached itself and wrote its pid to {@code pidFile}. */
    protected void detached(String side, Path pidFile, Path log) throws IOException {
        daemons.add(new Daemon(side, Long.parseLong(Files.readString(pidFile).trim())));
        logs.add(log);
    }

    /** Runs a command in the host's namespace and fails with its output when it fails. */
    protected static Shell.Result sh(String... command) throws IOException {
        return Shell.run(CMD, command).orThrow();
    }

    /** Runs a command in a side's namespace and fails with its output when it fails. */
    protected Shell.Result inNs(String side, String... command) throws IOException {
        return Shell.run(CMD, Shell.inNetns(pair.namespace(side), command)).orThrow();
    }

    /** Waits until one ping crosses the path, or fails with the log of a daemon that died or the last lines it wrote. */
    private void awaitPath(Endpoints ends) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATH_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            requireDaemonsAlive();
            if (Shell.run(CMD, Shell.inNetns(ends.clientNamespace(), "ping", "-n", "-c", "1", "-W", "1",
                    ends.serverAddress())).ok()) {
                return;
            }
            Thread.sleep(500);
        }
        String lastLog = logs.isEmpty() ? "" : "; " + logs.get(logs.size() - 1).getFileName() + ": " + tail(logs.get(logs.size() - 1));
        throw new IOException("no ping to " + ends.serverAddress() + " within " + PATH_LIMIT.toSeconds() + " s" + lastLog);
    }

    /** Fails with the last lines of its log when one of the daemons started so far has exited. */
    protected void requireDaemonsAlive() throws IOException {
        for (int i = 0; i < daemons.size(); i++) {
            if (ProcessHandle.of(daemons.get(i).pid()).map(p -> !p.isAlive()).orElse(true)) {
                throw new IOException("a daemon exited; " + logs.get(i).getFileName() + ": " + tail(logs.get(i)));
            }
        }
    }

    /** The last lines of a log, on one line, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 4), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
