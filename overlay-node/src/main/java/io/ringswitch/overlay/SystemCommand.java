package io.ringswitch.overlay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a system tool (ip, ovs-vsctl) once, with a time limit, and says what failed. */
public final class SystemCommand {
    private SystemCommand() {
    }

    /**
     * Runs {@code command} and waits at most {@code seconds}.
     *
     * @param missingHint what to tell the user when the tool itself cannot be started
     * @throws IOException with the command and its output when it fails or hangs
     */
    public static void run(List<String> command, int seconds, String missingHint) throws IOException {
        output(command, seconds, missingHint);
    }

    /** Runs the command like {@link #run} and returns what it printed, trimmed. */
    public static String output(List<String> command, int seconds, String missingHint) throws IOException {
        String line = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + ": " + missingHint + " (" + e.getMessage() + ")", e);
        }
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(line + " did not finish within " + seconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + line, e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.exitValue() != 0) {
            throw new IOException(line + " failed: " + output);
        }
        return output;
    }
}
