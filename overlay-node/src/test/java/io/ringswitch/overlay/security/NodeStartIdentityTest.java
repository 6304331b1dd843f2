package io.ringswitch.overlay.security;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.overlay.OverlayNode;
import io.ringswitch.overlay.api.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node refuses to start, before it touches the bridge or creates its TAP, when its identity
 * files do not pass; the error names the file and the reason.
 */
class NodeStartIdentityTest {
    @TempDir
    Path dir;

    private NodeConfig config(String name, Path cert, Path key, Path ca) throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, String.join("\n", "name: " + name, "listen: 127.0.0.1:0", "bridge: {name: nobr}",
                "tap: {name: rsid0}", "identity: {certificate: " + cert + ", key: " + key + ", ca: " + ca + "}", ""));
        return NodeConfig.load(file);
    }

    @Test
    void aCertificateOfAnotherCaOrAnotherNodeStopsTheStart() throws Exception {
        Instant now = Instant.now();
        GroupCa ours = GroupCa.create("g", now, Duration.ofDays(10));
        GroupCa theirs = GroupCa.create("g", now, Duration.ofDays(10));
        ours.save(dir.resolve("ours"));
        KeyPair key = GroupCa.newKeyPair();
        Pem.writeKey(dir.resolve("n.key"), key.getPrivate());
        Pem.write(dir.resolve("foreign.crt"), theirs.issue("site1", key.getPublic(), Optional.empty(), now, Duration.ofDays(1)));
        Pem.write(dir.resolve("site1.crt"), ours.issue("site1", key.getPublic(), Optional.empty(), now, Duration.ofDays(1)));
        Path ca = dir.resolve("ours").resolve(GroupCa.CERT_FILE);

        IOException foreign = assertThrows(IOException.class,
                () -> OverlayNode.start(config("site1", dir.resolve("foreign.crt"), dir.resolve("n.key"), ca)));
        assertTrue(foreign.getMessage().contains("foreign.crt") && foreign.getMessage().contains("signature is not the group CA's"),
                foreign.getMessage());
        IOException otherNode = assertThrows(IOException.class,
                () -> OverlayNode.start(config("site2", dir.resolve("site1.crt"), dir.resolve("n.key"), ca)));
        assertTrue(otherNode.getMessage().contains("for node site1"), otherNode.getMessage());
        assertTrue(!Files.exists(Path.of("/sys/class/net/rsid0")), "no TAP device was created");
    }
}
