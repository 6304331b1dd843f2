package io.ringswitch.topology.bench;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What a system has made, undone newest first. A step is added before the thing it removes is
 * made (or, for a process, as soon as it started), so that nothing is ever made without a way to
 * remove it. Once {@link #close closed} (the bench is being stopped), a step added later is
 * undone at once and the caller is told to stop.
 */
final class Cleanup {

    /** Removes one thing; a failure is reported, the other steps still run. */
    interface Undo {
        void run() throws Exception;
    }

    private record Step(String what, Undo undo) {
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean closed;

    /** Records how to remove {@code what}; throws when the bench is stopping and {@code what} must not be made. */
    synchronized void add(String what, Undo undo) throws InterruptedIOException {
        if (closed) {
            runStep(new Step(what, undo), new ArrayList<>());
            throw new InterruptedIOException("the bench is stopping; " + what + " was not kept");
        }
        steps.push(new Step(what, undo));
    }

    /**
     * Undoes every step so far, newest first, and forgets them. Each step runs with the caller's
     * interrupt flag cleared (an interrupt must not cut the removal of the next thing short); the
     * flag is restored afterwards.
     *
     * @return what could not be removed, with the reason; empty when all went
     */
    synchronized List<String> unwind() {
        boolean interrupted = false;
        List<String> failures = new ArrayList<>();
        try {
            while (!steps.isEmpty()) {
                interrupted |= Thread.interrupted();
                runStep(steps.pop(), failures);
            }
            interrupted |= Thread.interrupted();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return failures;
    }

    /** Unwinds and undoes at once whatever is added from now on. */
    synchronized List<String> close() {
        closed = true;
        return unwind();
    }

    private static void runStep(Step step, List<String> failures) {
        try {
            step.undo().run();
        } catch (Exception e) {
            failures.add(step.what() + ": " + e.getMessage());
        }
    }

    /** Ends a process: SIGTERM, and SIGKILL if it is still there after {@code grace}. */
    static void terminate(ProcessHandle process, Duration grace) throws Exception {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            process.onExit().get(5, TimeUnit.SECONDS);
        }
    }

    /** Deletes a directory and everything in it (generated keys among them). */
    static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
