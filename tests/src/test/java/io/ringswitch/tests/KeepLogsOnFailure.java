package io.ringswitch.tests;

import io.ringswitch.topology.Lab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Copies a lab's logs and status files to {@code $TMPDIR/ringswitch-failed-TEST} when a test of it
 * fails, before the lab is torn down, so that a failure in CI can be read afterwards.
 */
final class KeepLogsOnFailure implements TestWatcher {
    private final Supplier<Lab> lab;

    KeepLogsOnFailure(Supplier<Lab> lab) {
        this.lab = lab;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Lab l = lab.get();
        if (l == null) {
            return;
        }
        Path keep = Path.of(System.getProperty("java.io.tmpdir"),
                "ringswitch-failed-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
        try (Stream<Path> files = Files.walk(l.runDir())) {
            Files.createDirectories(keep);
            for (Path f : files.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".json")).toList()) {
                Path to = keep.resolve(l.runDir().relativize(f).toString().replace('/', '-'));
                Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
            }
            System.err.println("logs of the failed test kept in " + keep);
        } catch (IOException e) {
            System.err.println("could not keep the logs: " + e.getMessage());
        }
    }
}
