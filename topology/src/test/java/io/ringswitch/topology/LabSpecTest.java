package io.ringswitch.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabSpecTest {

    @Test
    void everyShippedTopologyLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of("labs"))) {
            files = list.filter(p -> p.toString().endsWith(".yaml")).toList();
        }
        assertFalse(files.isEmpty());
        for (Path file : files) {
            LabSpec spec = LabSpec.load(file);
            assertTrue(spec.sites() >= 2, file.toString());
        }
    }

    @Test
    void defaultsAndNamesFollowTheLabsName() {
        LabSpec spec = LabSpec.of("demo", 3, 2);
        assertEquals(1500, spec.underlayMtu());
        assertEquals("rs-demo-s2h1", spec.hostNamespace(2, 1));
        assertEquals("10.77.3.2", spec.hostIp(3, 2));
        assertEquals("02:77:00:00:03:02", spec.hostMac(3, 2));
        assertEquals(null, spec.shortcuts(), "unset: each node keeps its default");
        assertEquals(0, spec.withShortcuts(0).shortcuts());
    }

    @Test
    void badDescriptionsNameEveryProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "name: Bad_Name\nsites: 1\noverlayMtu: 1500\nshortcuts: 17\n");
        IOException e = assertThrows(IOException.class, () -> LabSpec.load(file));
        assertTrue(e.getMessage().contains("name") && e.getMessage().contains("sites")
                && e.getMessage().contains("overlayMtu") && e.getMessage().contains("shortcuts"), e.getMessage());
        Files.writeString(file, "name: ok\nsite: 3\n");
        assertThrows(IOException.class, () -> LabSpec.load(file), "unknown keys are errors");
    }
}
