package io.ringswitch.topology.bench;

import io.ringswitch.topology.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU time a set of processes spends over an interval: user plus system time of every thread,
 * from {@code /proc/PID/stat} (fields 14 and 15, utime and stime, in clock ticks; proc(5)), read
 * at the start and at the end. A process that is gone at either end counts for what it was seen
 * to use. Kernel work done outside the processes (softirq on other tasks, the bridge, iperf3's own
 * sockets) is not theirs and is not counted.
 */
final class CpuMeter {
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private final List<Daemon> daemons;
    private final Map<Long, Long> startTicks;

    private CpuMeter(List<Daemon> daemons, Map<Long, Long> startTicks) {
        this.daemons = daemons;
        this.startTicks = startTicks;
    }

    /** Starts measuring {@code daemons}. */
    static CpuMeter start(List<Daemon> daemons) {
        return new CpuMeter(List.copyOf(daemons), ticks(daemons));
    }

    /** CPU seconds the processes used since {@link #start}; null when there are none to measure. */
    Double seconds() {
        if (daemons.isEmpty()) {
            return null;
        }
        Map<Long, Long> end = ticks(daemons);
        long used = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            Long start = startTicks.get(e.getKey());
            if (start != null) {
                used += Math.max(0, e.getValue() - start);
            }
        }
        return used / (double) TICKS_PER_SECOND;
    }

    /**
     * CPU seconds spent per Gbit carried: {@code cpuSeconds} over what {@code mbps} moves in
     * {@code seconds}. The same figure is the number of cores kept busy per Gbit/s.
     */
    static Double perGbit(Double cpuSeconds, Double mbps, int seconds) {
        if (cpuSeconds == null || mbps == null || mbps.isNaN() || mbps <= 0 || seconds <= 0) {
            return null;
        }
        return cpuSeconds / (mbps * seconds / 1000.0);
    }

    private static Map<Long, Long> ticks(List<Daemon> daemons) {
        Map<Long, Long> out = new TreeMap<>();
        for (Daemon d : daemons) {
            try {
                out.put(d.pid(), parseTicks(Files.readString(Path.of("/proc", Long.toString(d.pid()), "stat"))));
            } catch (IOException | RuntimeException e) {
                // Gone, or not readable: it counts for nothing at this end.
            }
        }
        return out;
    }

    /** utime + stime of one {@code /proc/PID/stat} line; the command name in parentheses may hold spaces. */
    static long parseTicks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long ticksPerSecond() {
        try {
            Shell.Result r = Shell.run(Duration.ofSeconds(5), "getconf", "CLK_TCK");
            if (r.ok()) {
                return Long.parseLong(r.output().trim());
            }
        } catch (IOException | RuntimeException e) {
            // Linux's USER_HZ is 100 on every architecture this runs on.
        }
        return 100;
    }
}
