package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local attacker plants symbolic links where the node writes its status and keys, and offers it
 * a private key that others can read: the node writes through no link, and refuses the key.
 */
class LocalFilesTest {
    @TempDir
    Path dir;

    @Test
    void aLinkPlantedAtTheTargetIsReplacedAndItsVictimUntouched() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path status = dir.resolve("status.json");
        Files.createSymbolicLink(status, victim);

        LocalFiles.write(status, "{}".getBytes(StandardCharsets.UTF_8), LocalFiles.GROUP_READABLE);

        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(status));
        assertEquals("{}", Files.readString(status));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(status)));
    }

    @Test
    void linksPlantedAtEveryOldTemporaryNameLeadNowhere() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "precious");
        Path key = dir.resolve("site.key");
        // The names the node used before (status.json.tmp, site.key.tmp) and a guess at the new one.
        Files.createSymbolicLink(dir.resolve("site.key.tmp"), victim);
        Files.createSymbolicLink(dir.resolve(".site.key.tmp-0000000000000000"), victim);
        KeyPair pair = GroupCa.newKeyPair();

        Pem.writeKey(key, pair.getPrivate());

        assertEquals("precious", Files.readString(victim));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key, LinkOption.NOFOLLOW_LINKS)));
        assertArrayEquals(pair.getPrivate().getEncoded(), Pem.readKey(key).getEncoded());
    }

    @Test
    void aKeyOthersCanReadOrALinkToOneIsRefused() throws Exception {
        Path key = dir.resolve("site.key");
        Pem.writeKey(key, GroupCa.newKeyPair().getPrivate());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        AccessDeniedException open = assertThrows(AccessDeniedException.class, () -> Pem.readKey(key));
        assertTrue(open.getMessage().contains("too open"), open.getMessage());

        Files.setPosixFilePermissions(key, LocalFiles.OWNER_ONLY);
        Path link = Files.createSymbolicLink(dir.resolve("linked.key"), key);
        assertThrows(AccessDeniedException.class, () -> Pem.readKey(link));
        Pem.readKey(key);
    }
}
