package io.ringswitch.overlay;

import io.ringswitch.overlay.api.RevocationConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.api.PublicRingConfig;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.projectfloodlight.openflow.types.IPv4Address;

class NodeConfigTest {
    @TempDir
    Path dir;

    private NodeConfig load(String yaml) throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, yaml);
        return NodeConfig.load(file);
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        NodeConfig config = load("name: site1\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n");
        assertEquals(NodeConfig.DEFAULT_MTU, config.tap().mtu());
        assertEquals(RingConfig.defaults().shortcuts(), config.ringConfig().shortcuts());
        assertEquals("rs0", config.tap().name());
        assertEquals(1500, config.underlayMtu());
        assertEquals("127.0.0.1:6653", config.controller());
        assertTrue(config.bootstrap().isEmpty());
    }

    @Test
    void theOperatorEndpointIsOnLoopbackUnlessMovedOrTurnedOff() throws Exception {
        String base = "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n";
        assertEquals(new NodeConfig.Operator("127.0.0.1:9464"), load(base).operator());
        assertFalse(load(base + "operator: {listen: 'off'}\n").operator().on());
        assertFalse(load(base + "operator: {listen: null}\n").operator().on());
        assertEquals("0.0.0.0:9100", load(base + "operator: {listen: '0.0.0.0:9100'}\n").operator().listen());
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class,
                () -> load(base + "operator: {listen: 'loopback'}\n"));
        assertTrue(e.getMessage().contains("operator.listen"), e.getMessage());
    }

    @Test
    void theCrlComesFromTheRevocationSectionOrElseFromTheRenewalServer() throws Exception {
        String base = "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "identity: {certificate: s.crt, key: s.key, ca: ca.crt}\n";
        String pin = "a".repeat(64);
        NodeConfig renewalOnly = load(base + "renewal: {server: 'https://192.0.2.7:8443', serverSha256: " + pin + "}\n");
        assertEquals(new RevocationConfig("https://192.0.2.7:8443", pin, NodeConfig.CRL_INTERVAL_SECONDS),
                renewalOnly.crlSource());
        NodeConfig own = load(base + "revocation: {server: 'https://192.0.2.8:8443', serverSha256: " + pin
                + ", intervalSeconds: 10}\n");
        assertEquals(new RevocationConfig("https://192.0.2.8:8443", pin, 10), own.crlSource());
        assertEquals(null, load(base).crlSource(), "no server named: no CRL fetched (broadcast and DHT still work)");
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class,
                () -> load(base + "revocation: {server: 'http://192.0.2.8', intervalSeconds: 0}\n"));
        assertTrue(e.getMessage().contains("revocation.server") && e.getMessage().contains("revocation.intervalSeconds"),
                e.getMessage());
    }

    @Test
    void anMtuWithoutRoomForEncapsulationIsRefusedWithTheLimit() {
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\ntap: {name: rs0, mtu: 1500}\n"));
        assertTrue(e.getMessage().contains("tap.mtu: 576 to " + (1500 - NodeConfig.OVERHEAD)), e.getMessage());
    }

    @Test
    void busyPollingIsOffUnlessAWindowIsSet() throws Exception {
        String base = "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n";
        assertEquals(0, load(base).tap().busyPollOrOff());
        assertEquals(500, load(base + "tap: {name: rs0, busyPollMicros: 500}\n").tap().busyPollOrOff());
    }

    @Test
    void typosAndBadAddressesAreNamed() {
        NodeConfig.ConfigException typo = assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\npeer: [1.2.3.4:1]\n"));
        assertTrue(typo.getMessage().contains("peer"), typo.getMessage());
        NodeConfig.ConfigException address = assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: example.org:5800\nbridge: {name: br0}\nbootstrap: ['10.0.0.2']\n"));
        assertTrue(address.getMessage().contains("listen") && address.getMessage().contains("bootstrap"), address.getMessage());
    }

    @Test
    void theControllerListensOnAUnixSocketOrLoopbackOnly() throws Exception {
        String base = "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n";
        assertEquals(new io.netty.channel.unix.DomainSocketAddress("/run/rs/of.sock"),
                load(base + "controller: unix:/run/rs/of.sock\n").controllerAddress());
        assertEquals(new java.net.InetSocketAddress("127.0.0.1", 6700),
                load(base + "controller: tcp:127.0.0.1:6700\n").controllerAddress());
        NodeConfig.ConfigException open = assertThrows(NodeConfig.ConfigException.class,
                () -> load(base + "controller: 0.0.0.0:6653\n"));
        assertTrue(open.getMessage().contains("non-loopback"), open.getMessage());
        assertThrows(NodeConfig.ConfigException.class, () -> load(base + "controller: tcp:10.0.0.1:6653\n"));
        assertThrows(NodeConfig.ConfigException.class, () -> load(base + "controller: unix:relative.sock\n"));
    }

    @Test
    void anEmptyOrMissingFileIsAClearError() {
        assertThrows(NodeConfig.ConfigException.class, () -> load(""));
        assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.load(dir.resolve("nope.yaml")));
    }

    @Test
    void offloadsAreOnUnlessTurnedOff() throws Exception {
        assertTrue(load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n").tap().offloadsOn());
        assertFalse(load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\ntap: {name: rs0, offloads: false}\n")
                .tap().offloadsOn());
        assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\ntap: {name: rs0, offload: false}\n"));
    }

    @Test
    void multicastQueriesEvery125SecondsUnlessSet() throws Exception {
        NodeConfig config = load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n");
        assertTrue(config.multicast().querierOn());
        assertEquals(125, config.multicast().intervalSeconds());
        NodeConfig set = load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "multicast: {querier: false, queryIntervalSeconds: 10}\n");
        assertFalse(set.multicast().querierOn());
        assertEquals(10, set.multicast().intervalSeconds());
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\nmulticast: {queryIntervalSeconds: 0}\n"));
        assertTrue(e.getMessage().contains("multicast.queryIntervalSeconds"), e.getMessage());
    }

    @Test
    void switchingSettingsReachTheControllerAndBadOnesAreNamed() throws Exception {
        NodeConfig config = load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "dhcp: {subnet: 10.77.0.0/16, pool: 10.77.200.1-10.77.200.9, router: 10.77.0.1, dns: [10.77.0.2]}\n"
                + "switching: {trustedPorts: [uplink0], macsPerPort: 4, floodPps: 50}\n");
        SwitchSettings settings = NodeSwitchSettings.of(config, RingAddress.ofName("s"));
        assertEquals(Set.of("uplink0"), settings.trustedPorts());
        assertEquals(4, settings.macsPerPort());
        assertEquals(50, settings.storm().floodPps());
        assertEquals(100, settings.storm().packetInPps(), "the default");
        assertEquals(config.tap().mtu(), settings.overlayMtu());
        assertEquals(IPv4Address.of("10.77.200.1").getInt(), settings.dhcp().poolFirst());
        assertEquals(IPv4Address.of("10.77.255.254").getInt(), settings.dhcp().server(), "the subnet's last address");
        assertEquals(IPv4Address.of("10.77.0.1").getInt(), settings.dhcp().router());
        assertEquals(List.of(IPv4Address.of("10.77.0.2").getInt()), settings.dhcp().dns());
        assertEquals(NodeSwitchSettings.siteMac(RingAddress.ofName("s")), settings.siteMac());
        assertEquals(1, NodeSwitchSettings.of(load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"),
                RingAddress.ofName("s")).macsPerPort(), "one host behind a port unless set");
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\nswitching: {macsPerPort: 0, floodPps: -1}\n"));
        assertTrue(e.getMessage().contains("switching.macsPerPort") && e.getMessage().contains("switching.floodPps"),
                e.getMessage());
        assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\nswitching: {trusted: [x]}\n"));
    }

    private static final String BASE = "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
            + "dhcp: {subnet: 10.77.0.0/16, pool: 10.77.200.1-10.77.239.254}\n";

    @Test
    void aFullTunnelTakesItsSubnetAndRouterFromDhcpAndItsPortsFromTheNode() throws Exception {
        NodeConfig config = load(BASE + "tunnel: {mode: full, uplink: wan0, local: rsup, underlayDns: [192.168.1.1], probeSeconds: 1}\n");
        SwitchSettings.Tunnel t = NodeSwitchSettings.of(config, RingAddress.ofName("s")).tunnel();
        assertTrue(t.full());
        assertEquals(Set.of(5800), t.udpPorts());
        assertEquals(Set.of(5800), t.tcpPorts());
        assertEquals(IPv4Address.of("10.77.0.0").getInt(), t.vpnSubnet());
        assertEquals(16, t.vpnPrefix());
        assertEquals(IPv4Address.of("10.77.255.254").getInt(), t.router(), "the DHCP server");
        assertEquals(SwitchSettings.Ipv6Policy.DROP, t.ipv6());
        assertFalse(t.allowLan());
        assertEquals(1, config.tunnel().probeSeconds());
        assertFalse(NodeSwitchSettings.of(load(BASE), RingAddress.ofName("s")).tunnel().full(), "split by default");
        NodeConfig noDhcp = load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "tunnel: {mode: full, uplink: wan0, local: rsup, subnet: 10.9.0.0/24, router: 10.9.0.1, ipv6: carry}\n");
        SwitchSettings.Tunnel t2 = NodeSwitchSettings.of(noDhcp, RingAddress.ofName("s")).tunnel();
        assertEquals(IPv4Address.of("10.9.0.1").getInt(), t2.router());
        assertEquals(SwitchSettings.Ipv6Policy.CARRY, t2.ipv6());
    }

    @Test
    void badTunnelSettingsAreNamed() {
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> load(BASE
                + "tunnel: {mode: fully, probeSeconds: 0, choice: best, ipv6: leak, allowLan: true}\n"));
        for (String field : List.of("tunnel.mode", "tunnel.probeSeconds", "tunnel.choice", "tunnel.ipv6", "tunnel.lan")) {
            assertTrue(e.getMessage().contains(field), field + " in " + e.getMessage());
        }
        e = assertThrows(NodeConfig.ConfigException.class, () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n"
                + "tunnel: {mode: full, uplink: wan0, local: wan0}\n"));
        assertTrue(e.getMessage().contains("tunnel.local") && e.getMessage().contains("tunnel.subnet"), e.getMessage());
    }

    @Test
    void aGatewayGetsItsPortAndMacAndBadGatewaysAreNamed() throws Exception {
        NodeConfig config = load(BASE + "gateway: {enabled: true, uplink: wan0, address: 10.77.254.1, resolver: 198.51.100.53}\n");
        assertEquals("rsgw", config.gateway().port());
        SwitchSettings.GatewayPort port = NodeSwitchSettings.of(config, RingAddress.ofName("s")).gateway();
        assertEquals(IPv4Address.of("10.77.254.1").getInt(), port.address());
        assertEquals(port.mac(), NodeSwitchSettings.of(config, RingAddress.ofName("s")).gateway().mac(), "stable");
        assertFalse(port.mac().isMulticast());
        assertTrue((port.mac().getBytes()[0] & 2) != 0, "locally administered");
        assertFalse(port.mac().equals(NodeSwitchSettings.siteMac(RingAddress.ofName("s"))));
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> load(BASE
                + "gateway: {enabled: true, address: 10.77.200.5, resolver: dns.example}\n"));
        for (String field : List.of("gateway.uplink", "gateway.address", "gateway.resolver")) {
            assertTrue(e.getMessage().contains(field), field + " in " + e.getMessage());
        }
        e = assertThrows(NodeConfig.ConfigException.class, () -> load(BASE
                + "gateway: {enabled: true, uplink: wan0, address: 10.77.254.1, resolver: 1.1.1.1}\n"
                + "tunnel: {mode: full, uplink: wan0, local: rsup}\n"));
        assertTrue(e.getMessage().contains("gateway.enabled: a gateway is the way out"), e.getMessage());
        assertNull(NodeSwitchSettings.of(load(BASE), RingAddress.ofName("s")).gateway(), "no gateway by default");
    }

    @Test
    void aGatewayThatCarriesIpv6NeedsAnAddressInsideTheVpnPrefix() throws Exception {
        String gw = "gateway: {enabled: true, uplink: wan0, address: 10.77.254.1, resolver: 198.51.100.53, ";
        NodeConfig config = load(BASE + gw + "ipv6: true, address6: 'fd77::fe:1'}\ntunnel: {ipv6Prefix: 'fd77:0:0:0::/64'}\n");
        assertTrue(config.gateway().ipv6());
        assertEquals("fd77::fe:1", config.gateway().address6());
        assertEquals("fd77::/64", config.tunnel().ipv6Prefix(), "normalised");
        assertFalse(load(BASE + gw + "ipv6: false}\n").gateway().ipv6(), "IPv4 only unless asked");
        for (String[] bad : List.of(
                new String[] {gw + "ipv6: true, address6: 'fd77::fe:1'}\n", "tunnel.ipv6Prefix"},
                new String[] {gw + "ipv6: true, address6: 'fd78::1'}\ntunnel: {ipv6Prefix: 'fd77::/64'}\n", "gateway.address6"},
                new String[] {gw + "ipv6: true}\ntunnel: {ipv6Prefix: 'fd77::/64'}\n", "gateway.address6"},
                new String[] {gw + "ipv6: true, address6: 'fd77::'}\ntunnel: {ipv6Prefix: 'fd77::/64'}\n", "gateway.address6"},
                new String[] {gw + "address6: 'fd77::1'}\ntunnel: {ipv6Prefix: 'fd77::/64'}\n", "gateway.address6: set gateway.ipv6: true too"},
                new String[] {"tunnel: {ipv6Prefix: 'fd77::/96'}\n", "tunnel.ipv6Prefix"},
                new String[] {"tunnel: {ipv6Prefix: 'localhost/64'}\n", "tunnel.ipv6Prefix"},
                new String[] {"tunnel: {ipv6Prefix: '10.0.0.0/64'}\n", "tunnel.ipv6Prefix"})) {
            NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> load(BASE + bad[0]), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[1] + " in " + e.getMessage());
        }
    }

    @Test
    void theDnsDomainDefaultsToTheGroupAndBadOnesAreNamed() throws Exception {
        assertEquals("lab-one", load(BASE).dns().domainOr("Lab One"));
        assertEquals("vpn.example", load(BASE + "dns: {domain: VPN.example}\n").dns().domainOr("lab"));
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> load(BASE + "dns: {domain: -bad-}\n"));
        assertTrue(e.getMessage().contains("dns.domain"), e.getMessage());
    }

    @Test
    void aPrivateOverlayNamesItsPublicRingAndBadSectionsAreNamed() throws Exception {
        String base = "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\nidentity: {certificate: a.crt, key: a.key, ca: ca.crt}\n";
        NodeConfig config = load(base + "public: {listen: 10.0.0.1:5801, bootstrap: [192.0.2.1:5800],"
                + " identity: {certificate: p.crt, key: p.key, ca: pca.crt}}\n");
        assertEquals(List.of("192.0.2.1:5800"), config.publicRing().bootstrap());
        assertEquals(PublicRingConfig.DEFAULT_READ_SECONDS, config.publicRing().readSeconds());
        NodeConfig.ConfigException noBootstrap = assertThrows(NodeConfig.ConfigException.class,
                () -> load(base + "public: {listen: 10.0.0.1:5801, identity: {certificate: p.crt, key: p.key, ca: pca.crt}}\n"));
        assertTrue(noBootstrap.getMessage().contains("public.bootstrap"), noBootstrap.getMessage());
        NodeConfig.ConfigException sameListen = assertThrows(NodeConfig.ConfigException.class,
                () -> load(base + "public: {listen: 10.0.0.1:5800, bootstrap: [192.0.2.1:5800],"
                        + " identity: {certificate: p.crt, key: p.key, ca: pca.crt}}\n"));
        assertTrue(sameListen.getMessage().contains("public.listen"), sameListen.getMessage());
        NodeConfig.ConfigException noIdentity = assertThrows(NodeConfig.ConfigException.class,
                () -> load("name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\npublic: {listen: 10.0.0.1:5801,"
                        + " bootstrap: [192.0.2.1:5800], identity: {certificate: p.crt, key: p.key, ca: pca.crt}}\n"));
        assertTrue(noIdentity.getMessage().contains("public: add identity"), noIdentity.getMessage());
    }
}
