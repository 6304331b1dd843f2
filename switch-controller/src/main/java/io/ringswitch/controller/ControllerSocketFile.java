package io.ringswitch.controller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The Unix domain socket the bridge dials for OpenFlow, made so that no other local user can take
 * the bridge while the node restarts: its directory is created owner-only (0700) or must not be
 * writable by group or others, a stale socket of the last run is removed (anything else there, a
 * link included, is refused), and the socket itself is left readable and writable by its owner
 * only (connecting needs write permission on it).
 */
final class ControllerSocketFile {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SOCKET = PosixFilePermissions.fromString("rw-------");

    private ControllerSocketFile() {
    }

    /** Before the bind: a private directory, and no file left at {@code socket}. */
    static void prepare(Path socket) throws IOException {
        Path dir = socket.toAbsolutePath().getParent();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, DIRECTORY);
        }
        PosixFileAttributes d = Files.readAttributes(dir, PosixFileAttributes.class);
        if (d.permissions().contains(PosixFilePermission.GROUP_WRITE) || d.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException(dir + " is writable by others (" + PosixFilePermissions.toString(d.permissions())
                    + "): put the controller socket in a directory only its owner can write");
        }
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            PosixFileAttributes s = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!s.isOther() || s.isSymbolicLink()) {
                throw new IOException(socket + " exists and is not a socket; refusing to replace it");
            }
            Files.delete(socket);
        }
    }

    /** After the bind: the socket is its owner's only. */
    static void restrict(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, SOCKET);
    }
}
