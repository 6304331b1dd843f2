package io.ringswitch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.topology.Preflight;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the package test's stand-in for systemd reads the package's unit. */
class UnitFileTest {
    private static final Path UNIT = Preflight.home().resolve("packaging/deb/files/ringswitch@.service");

    @Test
    void thePackagedUnitRunsTheNodeOfTheInstancesConfigWithOneCapability() throws IOException {
        UnitFile unit = UnitFile.read(UNIT, "site7");
        assertEquals(List.of("/usr/bin/ringswitch", "node", "--config", "/etc/ringswitch/site7.yaml"), unit.execStart());
        assertEquals(List.of("net_admin"), unit.capabilities());
        assertEquals(List.of("/var/lib/ringswitch", "/run/openvswitch"), unit.readWritePaths());
        assertTrue(unit.yes("NoNewPrivileges") && unit.yes("PrivateTmp") && unit.yes("ProtectHome"));
        assertEquals("strict", unit.get("ProtectSystem"));
    }

    @Test
    void aKeyTheStandInNeitherCarriesOutNorLeavesToSystemdIsRefused(@TempDir Path dir) throws IOException {
        Path unit = dir.resolve("x@.service");
        Files.writeString(unit, Files.readString(UNIT).replace("[Service]\n", "[Service]\nPrivateDevices=yes\n"));
        IOException e = assertThrows(IOException.class, () -> UnitFile.read(unit, "site1"));
        assertTrue(e.getMessage().contains("PrivateDevices"), e.getMessage());
    }
}
