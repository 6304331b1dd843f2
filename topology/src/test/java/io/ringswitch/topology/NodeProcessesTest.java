package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ringswitch.overlay.api.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeProcessesTest {

    @Test
    void aLabsRelayChoiceReachesEveryNodesNatConfig(@TempDir Path dir) throws Exception {
        LabSpec spec = LabSpec.of("t", 4, 1).withEncrypted(false).withRelayChoice("stability");
        NodeProcesses nodes = new NodeProcesses(spec, new LabLedger(spec, dir), dir, s -> dir.resolve("s" + s), Preflight.home());
        Path site = Files.createDirectories(dir.resolve("s3"));
        NodeConfig config = NodeConfig.load(nodes.writeConfig(3, site));
        assertEquals("stability", config.nat().relayChoice());
        assertEquals(true, config.nat().byStability());
    }

    @Test
    void withoutARelayChoiceTheNodeKeepsItsDefault(@TempDir Path dir) throws Exception {
        LabSpec spec = LabSpec.of("t", 4, 1).withEncrypted(false);
        NodeProcesses nodes = new NodeProcesses(spec, new LabLedger(spec, dir), dir, s -> dir.resolve("s" + s), Preflight.home());
        Path site = Files.createDirectories(dir.resolve("s2"));
        Path file = nodes.writeConfig(2, site);
        assertFalse(Files.readString(file).contains("nat:"), "no nat section unless the lab sets one");
        assertEquals("latency", NodeConfig.load(file).nat().relayChoice());
    }

    /**
     * Issue 19: a private group's site is given no member of its group, only the public ring's
     * endpoints; its ring's certificate is its group CA's, and its public ring's the lab CA's.
     */
    @Test
    void aPrivateGroupsSiteKnowsOnlyThePublicRing(@TempDir Path dir) throws Exception {
        LabSpec spec = LabSpec.load(Path.of("labs/private.yaml"));
        NodeProcesses nodes = new NodeProcesses(spec, new LabLedger(spec, dir), dir, s -> dir.resolve("s" + s), Preflight.home());
        NodeConfig config = NodeConfig.load(nodes.writeConfig(5, Files.createDirectories(dir.resolve("s5"))));
        assertEquals(java.util.List.of(), config.bootstrap());
        assertEquals(java.util.List.of("10.99.0.1:5800", "10.99.0.2:5800"), config.publicRing().bootstrap());
        assertEquals("10.99.0.5:" + Lab.PUBLIC_PORT, config.publicRing().listen());
        assertEquals(dir.resolve("ca-group-beta").resolve("ca.crt").toString(), config.identity().ca());
        assertEquals(dir.resolve("ca").resolve("ca.crt").toString(), config.publicRing().identity().ca());
        NodeConfig publicSite = NodeConfig.load(nodes.writeConfig(2, Files.createDirectories(dir.resolve("s2"))));
        assertEquals(null, publicSite.publicRing());
        assertEquals(java.util.List.of("10.99.0.1:5800"), publicSite.bootstrap());
    }
}
