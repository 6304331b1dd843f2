package io.ringswitch.overlay.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Files the node writes and reads that another local user must not redirect or read: status,
 * keys, the list of former neighbours. A write goes to a new temporary file in the same directory
 * (created exclusively, never through a symbolic link, with its final permissions from the start)
 * and is then renamed over the target, which replaces a link planted there instead of writing
 * through it. A private key is read only when it is a regular file that neither its group nor
 * others may read, as ssh refuses a key it calls "unprotected".
 */
public final class LocalFiles {
    /** Readable and writable by the owner only (keys). */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Readable by the owner's group too (status, which monitoring may read). */
    public static final Set<PosixFilePermission> GROUP_READABLE = PosixFilePermissions.fromString("rw-r-----");
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalFiles() {
    }

    /** Replaces {@code file} with {@code content} atomically, with {@code permissions}, following no link. */
    public static void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp-" + HexFormat.of().formatHex(suffix));
        boolean moved = false;
        // CREATE_NEW is O_CREAT|O_EXCL: it fails on anything already there, a symbolic link included.
        try (SeekableByteChannel out = Files.newByteChannel(tmp, Set.<java.nio.file.OpenOption>of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(permissions))) {
            // The creation mode passes through the umask: set it again.
            Files.setPosixFilePermissions(tmp, permissions);
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.close();
            // rename(2) replaces the final name itself, a link there included, and never its target.
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Checks that {@code file}, a private key, is a regular file (not a link) that its group and
     * others can neither read nor write; throws naming what to fix otherwise.
     */
    public static void checkPrivate(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new AccessDeniedException(file.toString(), null, "a private key must not be a symbolic link");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + ": not a regular file");
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission open : EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE)) {
            if (p.contains(open)) {
                throw new AccessDeniedException(file.toString(), null, "permissions " + PosixFilePermissions.toString(p)
                        + " are too open for a private key: it must be readable by its owner only (chmod 600 " + file + ")");
            }
        }
    }
}
