package io.ringswitch.overlay.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads how many frames the kernel dropped at the overlay port because the node did not read them
 * in time: what OVS sends into a TAP device waits in the device's queue ({@code txqueuelen}
 * frames) until the node's reader takes it, and what finds the queue full is dropped and counted
 * as the device's TX drops. Nothing in the node saw those frames, so no counter of its own can
 * count them; this reads the kernel's ({@code /proc/net/dev} of the node's network namespace). A
 * multicast run at 20 Mbit/s on two loaded cores lost 3,423 to 29,702 frames there at the sender.
 */
public final class TapQueueDrops {
    private static final Logger log = LoggerFactory.getLogger(TapQueueDrops.class);
    /** TX drops: the 12th number after the interface name ({@code rx: bytes packets errs drop fifo frame compressed multicast}). */
    private static final int TX_DROP = 11;

    private final Path devices;
    private final String device;
    private long failures;

    /** For the TAP device {@code device} of this network namespace. */
    public TapQueueDrops(String device) {
        this(Path.of("/proc/net/dev"), device);
    }

    TapQueueDrops(Path devices, String device) {
        this.devices = devices;
        this.device = device;
    }

    /** Frames dropped so far; 0 when the device or the file cannot be read (logged once). */
    public long dropped() {
        try {
            return dropped(Files.readAllLines(devices), device);
        } catch (IOException | RuntimeException e) {
            if (failures++ == 0) {
                log.warn("cannot read the TX drops of {} from {}: {}", device, devices, e.toString());
            }
            return 0;
        }
    }

    /** The TX drops of {@code device} in the lines of {@code /proc/net/dev}; 0 when it is not listed. */
    static long dropped(List<String> lines, String device) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equals(device)) {
                continue;
            }
            String[] numbers = line.substring(colon + 1).trim().split("\\s+");
            return numbers.length > TX_DROP ? Long.parseLong(numbers[TX_DROP]) : 0;
        }
        return 0;
    }
}
