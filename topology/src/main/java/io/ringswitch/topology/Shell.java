package io.ringswitch.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external commands (ip, ovs tools, ping, iperf3) with a time limit and captured output. */
public final class Shell {

    /** What a command printed and how it ended. */
    public record Result(List<String> command, int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** This result, or an exception that says what failed and what it printed. */
        public Result orThrow() throws IOException {
            if (!ok()) {
                throw new IOException(String.join(" ", command) + " failed (exit " + exitCode + "): " + output.trim());
            }
            return this;
        }
    }

    private Shell() {
    }

    public static Result run(Duration limit, String... command) throws IOException {
        return run(limit, List.of(command));
    }

    public static Result run(Duration limit, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + limit.toSeconds() + " s");
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
        String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
        return new Result(command, process.exitValue(), text);
    }

    /** {@code ip netns exec NS command...} */
    public static List<String> inNetns(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return full;
    }
}
