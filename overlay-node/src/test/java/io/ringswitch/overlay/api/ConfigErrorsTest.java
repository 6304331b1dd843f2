package io.ringswitch.overlay.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every check of a node's config, one row each: the file is refused, and the message names the
 * field's YAML path, the value found there and what a valid one looks like.
 */
class ConfigErrorsTest {
    private static final String B = "name: s\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n";
    private static final String ID = "identity: {certificate: a.crt, key: a.key, ca: ca.crt}\n";
    private static final String DHCP = "dhcp: {subnet: 10.77.0.0/16, pool: 10.77.200.1-10.77.239.254}\n";
    private static final String GW = "gateway: {enabled: true, uplink: wan0, resolver: 198.51.100.53, ";
    private static final String PUB = "public: {listen: 10.0.0.1:5801, bootstrap: [192.0.2.1:5800], "
            + "identity: {certificate: p.crt, key: p.key, ca: pca.crt}";
    private static final String PIN = "a".repeat(64);

    static Stream<Arguments> checks() {
        return Stream.of(
                row("name: 's 1'\nlisten: 10.0.0.1:5800\nbridge: {name: br0}\n", "name", "s 1"),
                row("listen: 10.0.0.1:5800\nbridge: {name: br0}\n", "name", null),
                row("name: s\nlisten: example.org:5800\nbridge: {name: br0}\n", "listen", "example.org:5800"),
                row(B + "bootstrap: [10.0.0.2:5800, '10.0.0.3']\n", "bootstrap[1]", "10.0.0.3"),
                row(B + "ring: {shortcuts: 17}\n", "ring.shortcuts", "17"),
                row(B + "underlayMtu: 500\n", "underlayMtu", "500"),
                row(B + "tap: {name: a-very-long-tap-name}\n", "tap.name", "a-very-long-tap-name"),
                row(B + "tap: {mtu: 1500}\n", "tap.mtu", "1500"),
                row(B + "tap: {busyPollMicros: 1001}\n", "tap.busyPollMicros", "1001"),
                row(B + "tap: {busyPollMicros: -1}\n", "tap.busyPollMicros", "-1"),
                row("name: s\nlisten: 10.0.0.1:5800\n", "bridge.name", null),
                row(B + "identity: {certificate: a.crt, ca: ca.crt}\n", "identity.key", null),
                row(B + "multicast: {queryIntervalSeconds: 1}\n", "multicast.queryIntervalSeconds", "1"),
                row(B + "controller: unix:relative.sock\n", "controller", "unix:relative.sock"),
                row(B + "controller: 0.0.0.0:6653\n", "controller", "0.0.0.0:6653"),
                row(B + "controller: tcp:nowhere\n", "controller", "tcp:nowhere"),
                row(B + "dhcp: {subnet: 10.77.0.0/31}\n", "dhcp.subnet", "10.77.0.0/31"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, leaseSeconds: 5}\n", "dhcp.leaseSeconds", "5"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, server: 10.78.0.1}\n", "dhcp.server", "10.78.0.1"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, pool: 10.77.0.9}\n", "dhcp.pool", "10.77.0.9"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, pool: 10.77.0.9-10.78.0.1}\n", "dhcp.pool", "10.78.0.1"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, pool: 10.77.0.9-10.77.0.2}\n", "dhcp.pool", "10.77.0.9-10.77.0.2"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, pool: 10.77.0.2-10.77.0.9, server: 10.77.0.5}\n", "dhcp.server", "10.77.0.5"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, router: 10.78.0.1}\n", "dhcp.router", "10.78.0.1"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, dns: [10.77.0.53, ns.example]}\n", "dhcp.dns[1]", "ns.example"),
                row(B + "nat: {keepaliveSeconds: 0}\n", "nat.keepaliveSeconds", "0"),
                row(B + "nat: {relayChoice: fastest}\n", "nat.relayChoice", "fastest"),
                row(B + "switching: {macsPerPort: 0}\n", "switching.macsPerPort", "0"),
                row(B + "switching: {floodPps: 0}\n", "switching.floodPps", "0"),
                row(B + "switching: {packetInPps: 100001}\n", "switching.packetInPps", "100001"),
                row(B + "tunnel: {mode: half}\n", "tunnel.mode", "half"),
                row(B + DHCP + "tunnel: {mode: full, local: rsup}\n", "tunnel.uplink", null),
                row(B + DHCP + "tunnel: {mode: full, uplink: wan0}\n", "tunnel.local", null),
                row(B + DHCP + "tunnel: {mode: full, uplink: wan0, local: wan0}\n", "tunnel.local", "wan0"),
                row(B + "tunnel: {allowLan: true}\n", "tunnel.lan", null),
                row(B + "tunnel: {ipv6: keep}\n", "tunnel.ipv6", "keep"),
                row(B + "tunnel: {choice: nearest}\n", "tunnel.choice", "nearest"),
                row(B + "tunnel: {probeSeconds: 61}\n", "tunnel.probeSeconds", "61"),
                row(B + "tunnel: {underlayDns: [resolver]}\n", "tunnel.underlayDns[0]", "resolver"),
                row(B + DHCP + "tunnel: {subnet: 10.77.0.0/16}\n", "tunnel.subnet", "10.77.0.0/16"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, router: 10.77.0.1}\ntunnel: {mode: full, uplink: wan0, local: rsup}\n",
                        "dhcp.router", "10.77.0.1"),
                row(B + "tunnel: {mode: full, uplink: wan0, local: rsup, subnet: 10.77.0.0}\n", "tunnel.subnet", "10.77.0.0"),
                row(B + "tunnel: {mode: full, uplink: wan0, local: rsup, subnet: 10.77.0.0/16}\n", "tunnel.router", null),
                row(B + "tunnel: {ipv6Prefix: 'fd77::/96'}\n", "tunnel.ipv6Prefix", "fd77::/96"),
                row(B + DHCP + "gateway: {enabled: true, address: 10.77.254.1, resolver: 198.51.100.53}\n", "gateway.uplink", null),
                row(B + DHCP + GW + "port: 'no spaces', address: 10.77.254.1}\n", "gateway.port", "no spaces"),
                row(B + GW + "address: 10.77.254.1}\n", "gateway", "a gateway without a VPN subnet"),
                row(B + DHCP + GW + "address: 10.78.0.1}\n", "gateway.address", "10.78.0.1"),
                row(B + DHCP + GW + "address: 10.77.200.5}\n", "gateway.address", "10.77.200.5"),
                row(B + DHCP + GW + "address: 10.77.255.254}\n", "gateway.address", "10.77.255.254"),
                row(B + DHCP + "gateway: {enabled: true, uplink: wan0, address: 10.77.254.1, resolver: dns.example}\n",
                        "gateway.resolver", "dns.example"),
                row(B + DHCP + GW + "address: 10.77.254.1, ipv6: true, address6: 'fd77::1'}\n", "gateway.ipv6", "true"),
                row(B + DHCP + GW + "address: 10.77.254.1, ipv6: true, address6: 'fd78::1'}\ntunnel: {ipv6Prefix: 'fd77::/64'}\n",
                        "gateway.address6", "fd78::1"),
                row(B + DHCP + GW + "address: 10.77.254.1, address6: 'fd77::1'}\ntunnel: {ipv6Prefix: 'fd77::/64'}\n",
                        "gateway.address6", "fd77::1"),
                row(B + DHCP + GW + "address: 10.77.254.1}\ntunnel: {mode: full, uplink: wan0, local: rsup}\n",
                        "gateway.enabled", "true"),
                row(B + "dns: {domain: -bad-}\n", "dns.domain", "-bad-"),
                row(B + ID + "renewal: {server: 'http://192.0.2.7', serverSha256: " + PIN + "}\n", "renewal.server", "http://192.0.2.7"),
                row(B + ID + "renewal: {server: 'https://192.0.2.7', serverSha256: ABC}\n", "renewal.serverSha256", "ABC"),
                row(B + "renewal: {server: 'https://192.0.2.7', serverSha256: " + PIN + "}\n", "renewal",
                        "a renewal section without identity"),
                row(B + ID + "revocation: {server: 'http://192.0.2.8'}\n", "revocation.server", "http://192.0.2.8"),
                row(B + ID + "revocation: {serverSha256: abc}\n", "revocation.serverSha256", "abc"),
                row(B + ID + "revocation: {intervalSeconds: 0}\n", "revocation.intervalSeconds", "0"),
                row(B + "revocation: {intervalSeconds: 60}\n", "revocation", "a revocation section without identity"),
                row(B + ID + "public: {listen: nowhere, bootstrap: [192.0.2.1:5800], identity: {certificate: p.crt, key: p.key,"
                        + " ca: pca.crt}}\n", "public.listen", "nowhere"),
                row(B + ID + "public: {listen: 10.0.0.1:5801, identity: {certificate: p.crt, key: p.key, ca: pca.crt}}\n",
                        "public.bootstrap", null),
                row(B + ID + "public: {listen: 10.0.0.1:5801, bootstrap: [x], identity: {certificate: p.crt, key: p.key,"
                        + " ca: pca.crt}}\n", "public.bootstrap[0]", "x"),
                row(B + ID + "public: {listen: 10.0.0.1:5801, bootstrap: [192.0.2.1:5800]}\n", "public.identity", null),
                row(B + PUB + "}\n", "public", "a public section without identity"),
                row(B + ID + PUB + ", readSeconds: 0}\n", "public.readSeconds", "0"),
                row(B + ID + PUB.replace("5801", "5800") + "}\n", "public.listen", "10.0.0.1:5800"),
                // the file's shape: unknown keys with the closest known one, values of the wrong kind, YAML syntax
                row(B + "bootstrp: [10.0.0.2:5800]\n", "bootstrp", "[\"10.0.0.2:5800\"]", "did you mean bootstrap?"),
                row(B + "dhcp: {subnet: 10.77.0.0/16, leaseSecs: 600}\n", "dhcp.leaseSecs", "600", "did you mean leaseSeconds?"),
                row(B + "tunel: {mode: full}\n", "tunel", "{\"mode\":\"full\"}", "did you mean tunnel?"),
                row(B + "underlayMtu: big\n", "underlayMtu", "big", "a whole number"),
                row(B + "tap: {offloads: maybe}\n", "tap.offloads", "maybe", "true or false"),
                row(B + "bootstrap: 10.0.0.2:5800\n", "bootstrap", "10.0.0.2:5800", "a list"),
                row(B + "dhcp: 10.77.0.0/16\n", "dhcp", "10.77.0.0/16", "a section"),
                row(B + "name: [a, b]\n", "name", "[\"a\",\"b\"]", "a single value"),
                row(B + "tap: {name: rs0\n", "line 5, column 1", null, "began at line 4, column 6"),
                row("name: s\n  listen: 10.0.0.1:5800\n", "line 2, column 9", "listen: 10.0.0.1:5800", "valid YAML"));
    }

    private static Arguments row(String yaml, String path, String value) {
        return Arguments.of(yaml, path, value, "");
    }

    private static Arguments row(String yaml, String path, String value, String fix) {
        return Arguments.of(yaml, path, value, fix);
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("checks")
    void aBadFieldIsNamedWithItsValueAndTheFix(String yaml, String path, String value, String fix) {
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> ConfigReader.read(yaml, "node.yaml"));
        ConfigProblem problem = e.problems().stream().filter(p -> p.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + e.getMessage()));
        assertEquals(value, problem.value(), e.getMessage());
        assertFalse(problem.fix().isBlank(), "a fix");
        assertTrue(problem.fix().contains(fix), fix + " in " + problem);
        assertTrue(e.getMessage().contains(problem.toString()), "the message shows it: " + e.getMessage());
    }

    @Test
    void everyProblemOfAFileIsShownAtOnce() {
        NodeConfig.ConfigException e = assertThrows(NodeConfig.ConfigException.class, () -> ConfigReader.read(
                B + "ring: {shortcuts: 17}\nnat: {keepaliveSeconds: 0, relayChoice: fastest}\n"
                        + "dhcp: {subnet: 10.77.0.0/16, pool: 10.78.0.1-10.77.0.9}\n", "node.yaml"));
        assertEquals(List.of("ring.shortcuts", "dhcp.pool", "nat.keepaliveSeconds", "nat.relayChoice"),
                e.problems().stream().map(ConfigProblem::path).toList(), e.getMessage());
        assertTrue(e.getMessage().startsWith("node.yaml: 4 problems\n"), e.getMessage());
        NodeConfig.ConfigException shape = assertThrows(NodeConfig.ConfigException.class, () -> ConfigReader.read(
                B + "bootstrp: []\nring: {shortcut: 3}\nunderlayMtu: big\n", "node.yaml"));
        assertEquals(List.of("bootstrp", "ring.shortcut", "underlayMtu"),
                shape.problems().stream().map(ConfigProblem::path).toList(), shape.getMessage());
        NodeConfig.ConfigException both = assertThrows(NodeConfig.ConfigException.class, () -> ConfigReader.read(
                B.replace("name: s", "name: [s]") + "dhcp: {subnet: 10.77.0.0/16, leaseSecs: 600, leaseSeconds: 5}\nnat: {tpc: true}\n",
                "node.yaml"));
        assertEquals(List.of("name", "dhcp.leaseSecs", "nat.tpc", "dhcp.leaseSeconds"),
                both.problems().stream().map(ConfigProblem::path).toList(),
                "the file's shape and the values left in one message, the missing name only once: " + both.getMessage());
    }

    @Test
    void aValidFileWithEverySectionPasses() throws Exception {
        NodeConfig config = ConfigReader.read(B + ID + DHCP + GW + "address: 10.77.254.1}\n"
                + "renewal: {server: 'https://192.0.2.7:8443', serverSha256: " + PIN + "}\n"
                + "switching: {trustedPorts: [uplink0], macsPerPort: '2'}\ntap: {name: rs0, offloads: 'false'}\n", "node.yaml");
        assertEquals(2, config.switching().macsPerPort(), "a quoted number is still a number, as before");
        assertFalse(config.tap().offloadsOn());
    }

    @Test
    void theClosestKnownKeyIsTheOneFewestEditsAway() {
        assertEquals(1, ConfigShape.distance("bootstrp", "bootstrap"));
        assertEquals(0, ConfigShape.distance("dhcp", "dhcp"));
        assertEquals(3, ConfigShape.distance("kitten", "sitting"));
    }
}
