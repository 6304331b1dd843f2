package io.ringswitch.overlay.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store keeps what it acknowledged across a restart, privately, and refuses what breaks its rules. */
class GroupStoreTest {
    @TempDir
    Path tmp;

    @Test
    void survivesARestart() throws Exception {
        Path file = tmp.resolve("group.json");
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        GroupStore s = GroupStore.open(file);
        s.setAdminHashIfAbsent("h");
        GroupState.Request r = s.ask("site1", "a@b", now);
        String token = s.approve(r.id(), now).token();
        s.enrol(token, "ab".repeat(20), BigInteger.TEN, now.plusSeconds(60), now);
        s.revoke("site1", now);
        assertEquals(1, s.nextCrlNumber());

        GroupStore again = GroupStore.open(file);
        assertEquals("h", again.adminHash().orElseThrow());
        assertEquals(GroupState.Status.ENROLLED, again.request(r.id()).orElseThrow().status());
        assertTrue(again.member("site1").orElseThrow().revoked());
        assertEquals(now, again.revokedSerials().get(BigInteger.TEN));
        assertEquals(1, again.crlNumber());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).contains("tokenSha256"));
    }

    @Test
    void refusesTakenNamesReusedAndExpiredTokens() throws Exception {
        GroupStore s = GroupStore.open(tmp.resolve("g.json"));
        Instant now = Instant.now();
        GroupState.Request r = s.ask("site1", "a@b", now);
        assertEquals("join-name-taken", assertThrows(GroupRefusal.class, () -> s.ask("site1", "c@d", now)).reason());
        String token = s.approve(r.id(), now).token();
        assertEquals("token-expired", assertThrows(GroupRefusal.class,
                () -> s.checkToken(token, now.plus(GroupStore.TOKEN_LIFETIME).plusSeconds(1))).reason());
        s.enrol(token, "cd".repeat(20), BigInteger.ONE, now, now);
        assertEquals("token-used", assertThrows(GroupRefusal.class,
                () -> s.enrol(token, "ef".repeat(20), BigInteger.TWO, now, now)).reason());
        assertEquals("token-unknown", assertThrows(GroupRefusal.class, () -> s.checkToken("nope", now)).reason());
        assertEquals("request-decided", assertThrows(GroupRefusal.class, () -> s.deny(r.id(), now)).reason());
    }
}
