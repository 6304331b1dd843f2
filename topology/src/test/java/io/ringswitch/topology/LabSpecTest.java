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

    @Test
    void labsAreEncryptedWithValidCredentialsUnlessTheySayOtherwise(@TempDir Path dir) throws IOException {
        LabSpec spec = LabSpec.of("demo", 6, 1);
        assertTrue(spec.encrypted());
        assertEquals(SiteCredential.VALID, spec.credential(4));
        assertTrue(spec.member(4));
        assertFalse(spec.withEncrypted(false).encrypted());
        LabSpec bad = spec.withCredential(4, SiteCredential.OTHER_CA).withCredential(5, SiteCredential.EXPIRED);
        assertEquals(SiteCredential.OTHER_CA, bad.credential(4));
        assertFalse(bad.member(5));
        assertEquals(SiteCredential.VALID, bad.withCredential(5, SiteCredential.VALID).credential(5));
        assertTrue(bad.withShortcuts(2).withOffloads(false).credential(4) == SiteCredential.OTHER_CA, "with-ers keep credentials");

        Path file = dir.resolve("sec.yaml");
        Files.writeString(file, "name: sec\nsites: 6\ncredentials: {4: other-ca, 5: expired, 6: address-mismatch}\n");
        LabSpec loaded = LabSpec.load(file);
        assertEquals(SiteCredential.ADDRESS_MISMATCH, loaded.credential(6));
        assertTrue(loaded.credential(6).unverified());
        assertFalse(loaded.credential(4).unverified());
        assertEquals("certificate-address-not-key", loaded.credential(6).refusal());
        Files.writeString(file, "name: plain\nencrypted: false\n");
        assertFalse(LabSpec.load(file).encrypted());
    }

    @Test
    void badCredentialsAreRefusedWhereTheyCannotWork(@TempDir Path dir) throws IOException {
        LabSpec spec = LabSpec.of("demo", 4, 1);
        assertThrows(IllegalArgumentException.class, () -> spec.withCredential(1, SiteCredential.EXPIRED), "site 1 bootstraps");
        assertThrows(IllegalArgumentException.class, () -> spec.withCredential(5, SiteCredential.EXPIRED), "no site 5");
        assertThrows(IllegalArgumentException.class,
                () -> spec.withCredential(3, SiteCredential.EXPIRED).withEncrypted(false), "a bad certificate needs certificates");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "name: x\nsites: 4\ncredentials: {3: stolen}\n");
        IOException e = assertThrows(IOException.class, () -> LabSpec.load(file));
        assertTrue(e.getMessage().contains("stolen") && e.getMessage().contains("address-mismatch"), e.getMessage());
    }

    @Test
    void edgesPutSitesBehindRoutersButNeverTheBootstrapSites(@TempDir Path dir) throws IOException {
        LabSpec spec = NatTour.spec("nat");
        assertEquals(SiteEdge.OPEN, spec.edge(1));
        assertEquals(SiteEdge.RANDOM, spec.edge(4));
        assertEquals("rs-nat-r4", spec.routerNamespace(4));
        assertEquals("172.16.3.2", spec.siteListenIp(3), "behind a NAT the node binds its private address");
        assertEquals("10.99.0.3", spec.siteUnderlayIp(3), "the NAT's public address");
        assertEquals("10.99.0.6", spec.siteListenIp(6), "a firewalled site keeps its own address");
        assertEquals(1300, spec.overlayMtu());
        assertEquals(SiteEdge.FIREWALLED, spec.withShortcuts(2).edge(6), "with-ers keep edges");
        assertThrows(IllegalArgumentException.class, () -> spec.withEdge(2, SiteEdge.RANDOM), "site 2 bootstraps");
        assertThrows(IllegalArgumentException.class, () -> spec.withEdge(7, SiteEdge.RANDOM), "no site 7");
        assertEquals(List.of(3, 4, 5, 6), List.copyOf(spec.edges().keySet()));
        assertFalse(spec.withEdge(3, SiteEdge.OPEN).edges().containsKey(3), "open is the default, not kept");

        Path file = dir.resolve("nat.yaml");
        Files.writeString(file, "name: nat\nsites: 4\nedges: {3: port-preserving, 4: udp-blocked}\n");
        assertEquals(SiteEdge.UDP_BLOCKED, LabSpec.load(file).edge(4));
        Files.writeString(file, "name: nat\nsites: 4\nedges: {3: carrier-grade}\n");
        IOException e = assertThrows(IOException.class, () -> LabSpec.load(file));
        assertTrue(e.getMessage().contains("carrier-grade"), e.getMessage());
    }

    @Test
    void aRelayChoiceIsLatencyOrStabilityOrUnset(@TempDir Path dir) throws IOException {
        assertEquals(null, LabSpec.of("demo", 3, 1).relayChoice(), "unset: each node keeps its default");
        assertEquals("stability", LabSpec.of("demo", 3, 1).withRelayChoice("stability").relayChoice());
        assertEquals("latency", LabSpec.of("demo", 3, 1).withRelayChoice("latency").withShortcuts(2).withEdge(3,
                SiteEdge.RANDOM).relayChoice(), "kept by every other change");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabSpec.of("demo", 3, 1).withRelayChoice("fastest"));
        assertTrue(e.getMessage().contains("relayChoice") && e.getMessage().contains("fastest"), e.getMessage());
        Path file = dir.resolve("relay.yaml");
        Files.writeString(file, "name: r\nsites: 4\nrelayChoice: stability\n");
        assertEquals("stability", LabSpec.load(file).relayChoice());
        Files.writeString(file, "name: r\nsites: 4\nrelayChoice: random\n");
        IOException bad = assertThrows(IOException.class, () -> LabSpec.load(file));
        assertTrue(bad.getMessage().contains("relayChoice"), bad.getMessage());
    }
    @Test
    void gatewaysAndFullTunnelSitesImplyTheInternetAndAreChecked(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tun.yaml");
        Files.writeString(file, "name: tun\nsites: 4\ngateways: [2, 1]\nfullTunnel: [3]\n");
        LabSpec spec = LabSpec.load(file);
        assertEquals(List.of(1, 2), spec.gateways());
        assertTrue(spec.gateway(1) && spec.gateway(2) && !spec.gateway(3));
        assertTrue(spec.fullTunnel(3) && !spec.fullTunnel(4));
        assertTrue(spec.hasInternet(), "gateways and full-tunnel sites need the internet namespace");
        assertEquals("rs-tun-inet", spec.internetNamespace());
        assertFalse(LabSpec.of("plain", 2, 1).hasInternet());

        Files.writeString(file, "name: tun\nsites: 3\ngateways: [1, 4]\nfullTunnel: [1]\n");
        IOException bad = assertThrows(IOException.class, () -> LabSpec.load(file));
        assertTrue(bad.getMessage().contains("gateways: 4 is not a site"), bad.getMessage());
        assertTrue(bad.getMessage().contains("site 1 cannot be both"), bad.getMessage());

        Files.writeString(file, "name: tun\nsites: 3\nedges: {3: random}\nfullTunnel: [3]\n");
        assertTrue(assertThrows(IOException.class, () -> LabSpec.load(file)).getMessage().contains("only open sites"));
        Files.writeString(file, "name: tun\nsites: 3\ninternet: false\ngateways: [1]\n");
        assertTrue(assertThrows(IOException.class, () -> LabSpec.load(file)).getMessage().contains("internet: false"));
    }

    @Test
    void theNodeConfigOfEachRoleSaysWhatTheLabBuiltForIt() {
        LabSpec spec = LabSpec.of("tun", 2, 1);
        assertEquals(List.of(), NodeProcesses.tunnelLines(spec, 1, "drop"), "no internet, no tunnel lines");
        LabSpec tun = new LabSpec("tun", 4, 1, null, null, null, null, null, null, null, null, List.of(1, 2), List.of(3), null)
                .checked();
        assertEquals(List.of("gateway: {enabled: true, uplink: wan0, port: rsgw, address: 10.77.254.2, resolver: 198.51.100.53, "
                + "ipv6: true, address6: 'fd77::fe:2'}", "tunnel: {ipv6Prefix: 'fd77::/64'}", "dns: {domain: lab-tun}"),
                NodeProcesses.tunnelLines(tun, 2, "drop"));
        assertEquals(List.of("tunnel: {mode: full, uplink: wan0, local: rsup, allowLan: false, ipv6: drop, choice: latency, "
                + "probeSeconds: 1, ipv6Prefix: 'fd77::/64'}", "dns: {domain: lab-tun}"), NodeProcesses.tunnelLines(tun, 3, "drop"));
        assertTrue(NodeProcesses.tunnelLines(tun, 3, "carry").get(0).contains("ipv6: carry"));
        assertEquals(List.of("dns: {domain: lab-tun}"), NodeProcesses.tunnelLines(tun, 4, "drop"));
    }

    @Test
    void aRenewingLabsCertificateLifetimeLoadsFromYamlAndIsBounded(@TempDir Path dir) throws IOException {
        assertEquals(java.time.Duration.ofDays(4), LabSpec.of("demo", 2, 1).certLifetime(), "a few days unless set");
        assertFalse(LabSpec.of("demo", 2, 1).renewsCertificates());
        Path file = dir.resolve("renew.yaml");
        Files.writeString(file, "name: renew\nsites: 3\ncertLifetimeSeconds: 90\n");
        LabSpec spec = LabSpec.load(file);
        assertTrue(spec.renewsCertificates());
        assertEquals(java.time.Duration.ofSeconds(90), spec.certLifetime());
        assertEquals(java.time.Duration.ofSeconds(90), spec.withShortcuts(1).withRelayChoice("latency").certLifetime(),
                "the with* methods keep the lifetime");
        String tooShort = assertThrows(IllegalArgumentException.class,
                () -> LabSpec.of("demo", 2, 1).withCertLifetime(java.time.Duration.ofSeconds(30))).getMessage();
        assertTrue(tooShort.contains("certLifetimeSeconds: 60 to"), tooShort);
        String plaintext = assertThrows(IllegalArgumentException.class,
                () -> LabSpec.of("demo", 2, 1).withEncrypted(false).withCertLifetime(java.time.Duration.ofSeconds(90))).getMessage();
        assertTrue(plaintext.contains("not encrypted"), plaintext);
    }

    @Test
    void privateGroupsKeepTheBootstrapSitesPublicAndEachSiteInOneGroup(@TempDir Path dir) throws IOException {
        LabSpec spec = LabSpec.load(Path.of("labs/private.yaml"));
        assertEquals("alpha", spec.privateGroup(3));
        assertEquals(null, spec.privateGroup(1));
        assertEquals(List.of(List.of(1, 2), List.of(3, 4), List.of(5, 6)), spec.rings());
        assertEquals(List.of(List.of(1, 2, 3)), LabSpec.of("one", 3, 1).rings(), "no groups: one ring of every site");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nsites: 5\nprivateGroups: {alpha: [1, 3], beta: [3, 4], Gamma: [4, 5]}\n");
        IOException e = assertThrows(IOException.class, () -> LabSpec.load(bad));
        assertTrue(e.getMessage().contains("sites 1 and 2 are the public ring's"), e.getMessage());
        assertTrue(e.getMessage().contains("site 3 is in two groups"), e.getMessage());
        assertTrue(e.getMessage().contains("'Gamma'"), e.getMessage());
        Files.writeString(bad, "name: bad\nsites: 4\nencrypted: false\nprivateGroups: {alpha: [3, 4]}\n");
        assertTrue(assertThrows(IOException.class, () -> LabSpec.load(bad)).getMessage().contains("must be encrypted"));
    }
}
