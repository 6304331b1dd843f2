package io.ringswitch.topology.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Consumer;

/** Progress lines for a person at a terminal: on stderr, with the seconds since start. */
final class Console implements Consumer<String> {
    private final PrintStream err = System.err;
    private final long start = System.nanoTime();

    @Override
    public void accept(String line) {
        long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
        err.printf("[%5.1fs] %s%n", ms / 1000.0, line);
        err.flush();
    }
}
