package io.ringswitch.topology.sim;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory a run takes: the heap in use when sampled (garbage included, so it depends on
 * {@code -Xmx} and the collector), the heap that is still reachable after a full collection (what
 * the nodes really hold; divided by the nodes, the memory per node), and the process's peak
 * resident set as Linux counts it ({@code VmHWM} in {@code /proc/self/status}, proc(5)).
 */
final class HeapGauge {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private long peakUsed;
    private long live = -1;

    /** Notes the heap in use now. */
    void sample() {
        peakUsed = Math.max(peakUsed, MEMORY.getHeapMemoryUsage().getUsed());
    }

    /** Collects the garbage and notes what is left: the heap the simulated nodes hold now. */
    long measureLive() {
        System.gc();
        live = MEMORY.getHeapMemoryUsage().getUsed();
        sample();
        return live;
    }

    /** The heap in use at most when sampled, garbage included. */
    long peakUsed() {
        sample();
        return peakUsed;
    }

    /** The reachable heap as {@link #measureLive} last found it; -1 if never. */
    long live() {
        return live;
    }

    /** The heap the JVM may grow to ({@code -Xmx}). */
    static long maxHeap() {
        return MEMORY.getHeapMemoryUsage().getMax();
    }

    /** The process's peak resident set in bytes; -1 where {@code /proc} does not tell. */
    static long peakResident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
