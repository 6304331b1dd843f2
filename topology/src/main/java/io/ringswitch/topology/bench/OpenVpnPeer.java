package io.ringswitch.topology.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenVPN 2.6 in TAP mode, point to point with a static key (AES-256-CBC, HMAC-SHA256), overlay
 * 10.254.0.0/24. The cipher must be named (OpenSSL 3 rejects the BF-CBC default), DCO is off (no
 * module, and static-key mode cannot use it), and the two sides use opposite key directions.
 * OpenVPN 2.7 drops static-key mode; it will need {@code --tls-server/--tls-client} with
 * {@code --peer-fingerprint}.
 */
final class OpenVpnPeer extends TunnelPeer {
    private static final String PORT = "1194";

    OpenVpnPeer(RunContext run) {
        super(run);
    }

    @Override
    public String id() {
        return "openvpn";
    }

    @Override
    public String label() {
        return "OpenVPN tap";
    }

    @Override
    public List<String> packages() {
        return List.of("openvpn");
    }

    @Override
    public List<String> programs() {
        return List.of("openvpn");
    }

    @Override
    protected Endpoints start() throws IOException {
        Path key = dir().resolve("static.key");
        sh("openvpn", "--genkey", "secret", key.toString());
        for (String side : new String[] {"a", "b"}) {
            String other = side.equals("a") ? "b" : "a";
            daemon(side, "openvpn-" + side + ".log", "openvpn", "--dev", run.iface(side), "--dev-type", "tap",
                    "--proto", "udp", "--local", NamespacePair.underlay(side), "--lport", PORT,
                    "--remote", NamespacePair.underlay(other), "--rport", PORT,
                    "--secret", key.toString(), side.equals("a") ? "0" : "1",
                    "--cipher", "AES-256-CBC", "--auth", "SHA256",
                    "--ifconfig", overlay(side), "255.255.255.0", "--disable-dco", "--verb", "3");
        }
        return new Endpoints(pair.namespace("a"), pair.namespace("b"), overlay("b"));
    }

    private static String overlay(String side) {
        return side.equals("a") ? "10.254.0.1" : "10.254.0.2";
    }
}
