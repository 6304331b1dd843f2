package io.ringswitch.overlay.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The frames a TAP device dropped because the node's reader was late: its TX drops, as the kernel lists them. */
class TapQueueDropsTest {
    private static final List<String> DEV = List.of(
            "Inter-|   Receive                                                |  Transmit",
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
            "    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0",
            "   rs0:     350       5    0    0    0     0          0         0 22759062   29418    0 4886    0     0       0          0",
            "rs0x:     1       1    0    0    0     0          0         0        1       1    0   77    0     0       0          0");

    @Test
    void theTapsTxDropsAreTheFramesItsReaderWasLateFor() {
        assertEquals(4886, TapQueueDrops.dropped(DEV, "rs0"));
        assertEquals(77, TapQueueDrops.dropped(DEV, "rs0x"), "a name is matched whole");
        assertEquals(0, TapQueueDrops.dropped(DEV, "rs1"), "a device not listed dropped nothing");
    }

    @Test
    void anUnreadableFileCountsNothing(@TempDir Path dir) throws IOException {
        Path dev = dir.resolve("dev");
        assertEquals(0, new TapQueueDrops(dev, "rs0").dropped());
        Files.write(dev, DEV);
        assertEquals(4886, new TapQueueDrops(dev, "rs0").dropped());
    }
}
