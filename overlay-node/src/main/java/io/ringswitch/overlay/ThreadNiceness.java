package io.ringswitch.overlay;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sets the nice value of the calling thread alone (Linux keeps one per thread: setpriority(2)
 * with {@code PRIO_PROCESS} and a thread id). Java's thread priorities do not reach the kernel
 * without {@code -XX:ThreadPriorityPolicy=1}, which would change every thread's.
 */
final class ThreadNiceness {
    private static final int PRIO_PROCESS = 0;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private ThreadNiceness() {
    }

    private static native int setpriority(int which, int who, int prio) throws LastErrorException;

    private static native int getpriority(int which, int who) throws LastErrorException;

    /** Gives the calling thread nice value {@code nice} (raising it needs no privilege); false where that fails. */
    static boolean set(int nice) {
        try {
            setpriority(PRIO_PROCESS, threadId(), nice);
            return true;
        } catch (IOException | LastErrorException | UnsatisfiedLinkError | NumberFormatException e) {
            return false;
        }
    }

    /** The calling thread's nice value, as the kernel holds it. */
    static int get() throws IOException {
        // getpriority(2) returns 20 - nice for the raw system call; glibc's wrapper returns nice itself.
        return getpriority(PRIO_PROCESS, threadId());
    }

    /** The kernel's id of the calling thread: the last part of {@code /proc/thread-self} ("PID/task/TID"). */
    private static int threadId() throws IOException {
        Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(self.getFileName().toString());
    }
}
