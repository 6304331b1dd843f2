package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupTest {

    @Test
    void undoesNewestFirstAndGoesOnPastAFailure() throws Exception {
        List<String> undone = new ArrayList<>();
        Cleanup cleanup = new Cleanup();
        cleanup.add("namespace", () -> undone.add("namespace"));
        cleanup.add("daemon", () -> {
            undone.add("daemon");
            throw new IllegalStateException("still running");
        });
        cleanup.add("socket", () -> undone.add("socket"));
        assertEquals(List.of("daemon: still running"), cleanup.unwind());
        assertEquals(List.of("socket", "daemon", "namespace"), undone);
        assertTrue(cleanup.unwind().isEmpty(), "each step runs once");
        assertEquals(3, undone.size());
    }

    @Test
    void unwindsWithTheInterruptFlagClearedAndRestoresIt() throws Exception {
        List<Boolean> seen = new ArrayList<>();
        Cleanup cleanup = new Cleanup();
        cleanup.add("step", () -> seen.add(Thread.currentThread().isInterrupted()));
        Thread.currentThread().interrupt();
        cleanup.unwind();
        assertTrue(Thread.interrupted(), "the flag is back");
        assertEquals(List.of(false), seen);
    }

    @Test
    void afterCloseWhatIsAddedIsUndoneAtOnce() throws Exception {
        List<String> undone = new ArrayList<>();
        Cleanup cleanup = new Cleanup();
        cleanup.add("first", () -> undone.add("first"));
        cleanup.close();
        assertThrows(InterruptedIOException.class, () -> cleanup.add("late", () -> undone.add("late")));
        assertEquals(List.of("first", "late"), undone);
    }

    @Test
    void deleteTreeRemovesFilesAndDirectories(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("work");
        Files.createDirectories(dir.resolve("tinc/a/hosts"));
        Files.writeString(dir.resolve("tinc/a/hosts/nodeA"), "key");
        Cleanup.deleteTree(dir);
        assertFalse(Files.exists(dir));
        Cleanup.deleteTree(dir);
    }
}
