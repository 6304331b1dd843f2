package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusFileWriterTest {
    private static NodeStatus status(long writtenAt) {
        return new NodeStatus("s1", 1, writtenAt, "ab", true, List.of(), List.of(), List.of(), 0, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aSlowWriteDoesNotHoldTheCallerAndOnlyTheNewestWaitingSnapshotIsWritten() throws Exception {
        CountDownLatch diskFree = new CountDownLatch(1);
        CountDownLatch firstStarted = new CountDownLatch(1);
        List<Long> written = new CopyOnWriteArrayList<>();
        StatusFileWriter writer = new StatusFileWriter("slow-disk", s -> {
            firstStarted.countDown();
            try {
                assertTrue(diskFree.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            written.add(s.writtenAtMillis());
        });
        try {
            writer.offer(status(1));
            assertTrue(firstStarted.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            writer.offer(status(2));
            writer.offer(status(3));
            writer.offer(status(4));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "offer waited for the disk");
            diskFree.countDown();
        } finally {
            writer.close();
        }
        assertEquals(List.of(1L, 4L), written);
    }

    @Test
    void aFailedWriteIsLoggedAndTheNextOneStillHappens() throws Exception {
        List<Long> written = new CopyOnWriteArrayList<>();
        CountDownLatch second = new CountDownLatch(1);
        StatusFileWriter writer = new StatusFileWriter("full-disk", s -> {
            if (s.writtenAtMillis() == 1) {
                throw new IOException("No space left on device");
            }
            written.add(s.writtenAtMillis());
            second.countDown();
        });
        try {
            writer.offer(status(1));
            writer.offer(status(2));
            assertTrue(second.await(5, TimeUnit.SECONDS));
        } finally {
            writer.close();
        }
        assertEquals(List.of(2L), written);
    }

    @Test
    void writesTheFileTheStatusCommandReadsAndNothingAfterClose(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("status.json");
        StatusFileWriter writer = new StatusFileWriter(file);
        writer.offer(status(42));
        writer.close();
        assertEquals(42L, NodeStatus.read(file).orElseThrow().writtenAtMillis());
        writer.offer(status(43));
        assertEquals(42L, NodeStatus.read(file).orElseThrow().writtenAtMillis());
    }
}
