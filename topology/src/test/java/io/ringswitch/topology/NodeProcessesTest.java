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
        NodeProcesses nodes = new NodeProcesses(spec, new LabLedger(spec, dir), dir, s -> dir.resolve("s" + s));
        Path site = Files.createDirectories(dir.resolve("s3"));
        NodeConfig config = NodeConfig.load(nodes.writeConfig(3, site));
        assertEquals("stability", config.nat().relayChoice());
        assertEquals(true, config.nat().byStability());
    }

    @Test
    void withoutARelayChoiceTheNodeKeepsItsDefault(@TempDir Path dir) throws Exception {
        LabSpec spec = LabSpec.of("t", 4, 1).withEncrypted(false);
        NodeProcesses nodes = new NodeProcesses(spec, new LabLedger(spec, dir), dir, s -> dir.resolve("s" + s));
        Path site = Files.createDirectories(dir.resolve("s2"));
        Path file = nodes.writeConfig(2, site);
        assertFalse(Files.readString(file).contains("nat:"), "no nat section unless the lab sets one");
        assertEquals("latency", NodeConfig.load(file).nat().relayChoice());
    }
}
