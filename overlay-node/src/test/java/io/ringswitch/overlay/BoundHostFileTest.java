package io.ringswitch.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ringswitch.controller.api.BoundHostStore.BoundHost;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.types.MacAddress;

class BoundHostFileTest {
    @TempDir
    Path dir;

    @Test
    void theHostsSavedAreTheHostsLoadedByTheNextProcess() throws Exception {
        Path file = dir.resolve("bound-hosts");
        List<BoundHost> hosts = List.of(
                new BoundHost(1, "veth-h1", MacAddress.of("02:77:00:00:01:01"),
                        List.of(InetAddress.getByName("10.77.1.1"), InetAddress.getByName("fd00::1"))),
                new BoundHost(4, "veth-h2", MacAddress.of("02:77:00:00:01:02"), List.of()));
        new BoundHostFile(file).save(hosts);
        assertEquals(hosts, new BoundHostFile(file).load());
    }

    @Test
    void linesThatDoNotParseAreSkippedAndNamesAreNeverResolved() throws Exception {
        Path file = dir.resolve("bound-hosts");
        Files.writeString(file, "1 veth-h1 02:77:00:00:01:01 10.77.1.1\n"
                + "x veth-h2 02:77:00:00:01:02\n"
                + "2 veth-h3 not-a-mac\n"
                + "3 veth-h4 02:77:00:00:01:04 example.com\n");
        List<BoundHost> loaded = new BoundHostFile(file).load();
        assertEquals(1, loaded.size());
        assertEquals(MacAddress.of("02:77:00:00:01:01"), loaded.get(0).mac());
    }
}
