package io.ringswitch.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainSocketAddress;
import io.ringswitch.controller.api.ControllerConfig;
import io.ringswitch.controller.api.SwitchListener;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's Unix socket: owner-only, in an owner-only directory; a link or file planted
 * at its path, or a directory others can write, is refused instead of followed.
 */
class ControllerSocketFileTest {
    private static final SwitchListener NOBODY = new SwitchListener() {
        @Override
        public void switchConnected(org.projectfloodlight.openflow.types.DatapathId dpid) {
        }

        @Override
        public void switchDisconnected(org.projectfloodlight.openflow.types.DatapathId dpid) {
        }
    };

    @TempDir
    Path dir;

    @Test
    void theSocketAndItsDirectoryAreTheOwnersOnly() throws Exception {
        assumeTrue(Epoll.isAvailable(), "needs the native epoll transport");
        Path socket = dir.resolve("run/controller.sock");
        try (OpenFlowController c = new OpenFlowController(ControllerConfig.of(new DomainSocketAddress(socket.toString()), "rs0"),
                NOBODY)) {
            c.start();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        }
        // A restart finds the old socket and takes its place.
        try (OpenFlowController c = new OpenFlowController(ControllerConfig.of(new DomainSocketAddress(socket.toString()), "rs0"),
                NOBODY)) {
            c.start();
        }
    }

    @Test
    void aLinkPlantedAtTheSocketPathOrAnOpenDirectoryIsRefused() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path socket = dir.resolve("controller.sock");
        Files.createSymbolicLink(socket, victim);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThrows(java.io.IOException.class, () -> ControllerSocketFile.prepare(socket));
        assertEquals("precious", Files.readString(victim));

        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> ControllerSocketFile.prepare(open.resolve("c.sock")));
        assertTrue(e.getMessage().contains("writable by others"), e.getMessage());
    }
}
