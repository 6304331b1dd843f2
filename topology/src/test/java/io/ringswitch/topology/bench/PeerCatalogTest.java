package io.ringswitch.topology.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerCatalogTest {

    @Test
    void noOnlyMeansEverySystemInRunningOrder() {
        List<String> all = List.of("veth", "ringswitch", "ringswitch-plain", "wireguard", "tinc", "openvpn", "n2n", "ovs-vxlan");
        assertEquals(all, PeerCatalog.parseOnly(null));
        assertEquals(all, PeerCatalog.parseOnly("  "));
        assertEquals(all, PeerCatalog.ids());
    }

    @Test
    void onlyKeepsRunningOrderAndAlwaysAddsRingSwitch() {
        assertEquals(List.of("ringswitch", "wireguard", "tinc"), PeerCatalog.parseOnly("tinc,wireguard"));
        assertEquals(List.of("veth", "ringswitch", "ovs-vxlan"), PeerCatalog.parseOnly(" OVS-VXLAN , veth,,veth"));
        assertEquals(List.of("ringswitch"), PeerCatalog.parseOnly("ringswitch"));
        assertEquals(List.of("ringswitch", "ringswitch-plain"), PeerCatalog.parseOnly("ringswitch-plain"));
        assertEquals(List.of("ringswitch", "ringswitch-plain"), PeerCatalog.parseOnly("ringswitch,ringswitch-plain"));
    }

    @Test
    void aliasesNameTheSameSystems() {
        assertEquals(List.of("veth", "ringswitch", "wireguard", "ovs-vxlan"), PeerCatalog.parseOnly("wg,wireguard-go,ovs,raw"));
        assertEquals(List.of("ringswitch", "ringswitch-plain"), PeerCatalog.parseOnly("plaintext,ringswitch-plaintext"));
    }

    @Test
    void unknownNamesAreRefusedWithTheListOfSystems() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerCatalog.parseOnly("tinc,zerotier,ipsec"));
        assertTrue(e.getMessage().contains("zerotier, ipsec"), e.getMessage());
        assertTrue(e.getMessage().contains("veth, ringswitch, ringswitch-plain, wireguard, tinc, openvpn, n2n, ovs-vxlan"),
                e.getMessage());
    }

    @Test
    void everySystemIsCreatedWithItsOwnIdAndUniqueNames() {
        RunContext run = new RunContext("k3x9", Path.of("/tmp/unused"), line -> { });
        for (String id : PeerCatalog.ids()) {
            PeerSystem system = PeerCatalog.create(id, run);
            assertEquals(id, system.id());
            assertTrue(system.daemonPids().isEmpty(), id + " has daemons before it is up");
        }
        assertEquals("rsbp-k3x9-a", run.namespace("a"));
        assertTrue(run.iface("b").length() <= 15, "interface names are at most 15 characters");
        assertTrue(run.labName().matches("[a-z0-9]{1,6}"), "a lab name LabSpec accepts");
        assertTrue(run.plaintextLabName().matches("[a-z0-9]{1,6}") && !run.plaintextLabName().equals(run.labName()));
    }
}
