package io.ringswitch.overlay.revocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.RevokeCommand;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.Pem;
import io.ringswitch.overlay.security.Revocations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ringswitch revoke} with the group server down: the record it signs with the CA's key and
 * drops into a node's state directory is taken by the node's inbox, and revokes; a record the
 * command signed with another group's CA is refused there and revokes nothing.
 */
class RevokeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aRecordDroppedIntoTheStateDirectoryRevokesAndOneOfAnotherCaDoesNot() throws Exception {
        Instant now = Instant.now();
        GroupCa ca = GroupCa.create("lab", now.minusSeconds(60), Duration.ofDays(30));
        ca.save(tmp.resolve("ca"));
        GroupCa other = GroupCa.create("lab", now.minusSeconds(60), Duration.ofDays(30));
        other.save(tmp.resolve("other"));
        X509Certificate victim = ca.issue("victim", GroupCa.newKeyPair().getPublic(), Optional.empty(), now, Duration.ofDays(1));
        Pem.write(tmp.resolve("victim.crt"), victim);
        Path state = tmp.resolve("state");
        Files.createDirectories(state);
        Revocations revocations = new Revocations(ca.certificate(), state.resolve(Revocations.FILE));
        RevocationInbox inbox = new RevocationInbox(state, revocations);

        // Another CA, same group name: the command signs (it holds that key), the node refuses.
        assertEquals(0, new CommandLine(new RevokeCommand()).execute("--ca", tmp.resolve("other").toString(),
                "--serial", victim.getSerialNumber().toString(16), "--address",
                NodeCertificate.addressOf(victim).toString(), "--state", state.toString()));
        assertEquals(0, inbox.poll());
        assertFalse(revocations.revoked(victim));
        assertEquals(1, revocations.refused("revocation-forged"));

        assertEquals(0, new CommandLine(new RevokeCommand()).execute("--ca", tmp.resolve("ca").toString(),
                "--cert", tmp.resolve("victim.crt").toString(), "--state", state.toString()));
        assertEquals(1, inbox.poll());
        assertTrue(revocations.revoked(victim));
        try (var left = Files.list(state.resolve(RevocationInbox.DIRECTORY))) {
            assertEquals(0, left.count(), "files are taken once");
        }
        assertTrue(Revocations.load(ca.certificate(), state.resolve(Revocations.FILE)).revoked(victim), "and kept");
        inbox.close();
    }
}
