package io.ringswitch.overlay.tap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few libc calls a TAP device (and {@link OvsSocketBuffers}) needs, bound by JNA direct
 * mapping. {@code read} and {@code write} take raw addresses so that the frame path passes direct
 * buffers without copying or allocating.
 */
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

    static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    static native long writev(int fd, long iov, int count);

    static native long read(int fd, long address, long count);

    static native long write(int fd, long address, long count);

    static native int poll(byte[] fds, long nfds, int timeoutMillis);

    static native int close(int fd);

    /** syscall(2) for calls glibc 2.36 has no wrapper for (pidfd_open, pidfd_getfd); -1 on error. */
    static native long syscall(long number, long a, long b, long c);

    static native int setsockopt(int fd, int level, int name, byte[] value, int length) throws LastErrorException;

    static native int getsockopt(int fd, int level, int name, byte[] value, int[] length) throws LastErrorException;
}
