package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump writing every packet of one interface (or those a pcap filter expression selects), whole,
 * to a file; stopped as Ctrl-C would.
 */
final class Tcpdump implements AutoCloseable {
    private static final Pattern KERNEL_DROPS = Pattern.compile("(\\d+) packets? dropped by kernel");
    private final Process process;
    private final Path file;
    private final Path log;

    private Tcpdump(Process process, Path file, Path log) {
        this.process = process;
        this.file = file;
        this.log = log;
    }

    /** Starts tcpdump and waits until it listens; {@code -Z root}: it writes into root's run directory. */
    static Tcpdump start(String namespace, String device, Path file) throws IOException, InterruptedException {
        return start(namespace, device, file, null);
    }

    /** As {@link #start(String, String, Path)}, keeping only the packets {@code filter} (pcap-filter(7)) selects. */
    static Tcpdump start(String namespace, String device, Path file, String filter) throws IOException, InterruptedException {
        return start(namespace, device, file, List.of(), filter);
    }

    /** As {@link #start(String, String, Path, String)}, with more tcpdump options ({@code -Q in}: one direction). */
    static Tcpdump start(String namespace, String device, Path file, List<String> options, String filter)
            throws IOException, InterruptedException {
        Path log = file.resolveSibling(file.getFileName() + ".log");
        List<String> command = new ArrayList<>(List.of("tcpdump", "-i", device, "-n", "-s", "0", "-U", "-Z", "root",
                "-w", file.toString()));
        command.addAll(options);
        if (filter != null) {
            command.add(filter);
        }
        Process process = new ProcessBuilder(Shell.inNetns(namespace, command.toArray(String[]::new)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Tcpdump dump = new Tcpdump(process, file, log);
        for (int i = 0; i < 100; i++) {
            if (Files.readString(log).contains("listening on")) {
                return dump;
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        dump.close();
        throw new IOException("tcpdump on " + device + " in " + namespace + " did not start: " + Files.readString(log).trim());
    }

    Path file() {
        return file;
    }

    /** Stops tcpdump with SIGINT (it then flushes its file) and returns the packets the kernel dropped. */
    long stop() throws IOException, InterruptedException {
        Shell.run(Duration.ofSeconds(5), "kill", "-INT", Long.toString(process.pid()));
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Matcher m = KERNEL_DROPS.matcher(Files.readString(log));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
