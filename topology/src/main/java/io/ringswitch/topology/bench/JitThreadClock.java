package io.ringswitch.topology.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the CPU time that a JVM's JIT compiler threads ({@code C1 CompilerThre}, {@code C2
 * CompilerThre} in {@code /proc/PID/task/TID/comm}) have used, from their {@code stat} lines
 * (utime and stime, fields 14 and 15, proc(5)). Read once a second during a run it shows when
 * the JIT compiled the hot path, at no cost to the JVM (no {@code -Xlog}, no attach).
 */
final class JitThreadClock {
    /** Clock ticks per second of {@code stat}'s times: USER_HZ, 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;

    private JitThreadClock() {
    }

    /** Milliseconds of CPU the JIT threads of {@code pid} have used; 0 when the process is gone. */
    static long cpuMillis(long pid) {
        long ticks = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        ticks += ticks(Files.readString(task.resolve("stat")));
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return Math.round(ticks * 1000 / TICKS_PER_SECOND);
    }

    /**
     * utime + stime of one {@code stat} line. The command name (field 2) may hold spaces, so the
     * fields are counted from the last ')'.
     */
    static long ticks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after[0] is field 3 (state): utime is field 14, stime field 15.
        return Long.parseLong(after[11]) + Long.parseLong(after[12]);
    }
}
