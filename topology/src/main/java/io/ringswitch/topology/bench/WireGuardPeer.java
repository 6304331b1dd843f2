package io.ringswitch.topology.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * wireguard-go (this kernel has no WireGuard), overlay 10.251.0.0/24. Its control sockets live in
 * the shared {@code /run/wireguard/}, so each side's interface has a name of its own.
 */
final class WireGuardPeer extends TunnelPeer {
    private static final Path SOCKETS = Path.of("/var/run/wireguard");
    private static final String PORT = "51820";

    WireGuardPeer(RunContext run) {
        super(run);
    }

    @Override
    public String id() {
        return "wireguard";
    }

    @Override
    public String label() {
        return "wireguard-go";
    }

    @Override
    public List<String> packages() {
        return List.of("wireguard-go", "wireguard-tools");
    }

    @Override
    public List<String> programs() {
        return List.of("wireguard-go", "wg");
    }

    @Override
    protected Endpoints start() throws IOException, InterruptedException {
        String[] publicKeys = new String[2];
        String[] sides = {"a", "b"};
        for (int i = 0; i < 2; i++) {
            Path key = dir().resolve(sides[i] + ".key");
            Files.writeString(key, sh("wg", "genkey").output().trim() + "\n");
            publicKeys[i] = sh("sh", "-c", "wg pubkey < \"$1\"", "sh", key.toString()).output().trim();
        }
        for (String side : sides) {
            Path socket = SOCKETS.resolve(run.iface(side) + ".sock");
            cleanup().add("socket " + socket, () -> Files.deleteIfExists(socket));
            daemon(side, "wireguard-go-" + side + ".log", "wireguard-go", "-f", run.iface(side));
        }
        for (int i = 0; i < 2; i++) {
            awaitSocket(SOCKETS.resolve(run.iface(sides[i]) + ".sock"));
            String other = sides[1 - i];
            inNs(sides[i], "wg", "set", run.iface(sides[i]), "listen-port", PORT,
                    "private-key", dir().resolve(sides[i] + ".key").toString(),
                    "peer", publicKeys[1 - i], "endpoint", NamespacePair.underlay(other) + ":" + PORT,
                    "allowed-ips", overlay(other) + "/32");
            inNs(sides[i], "ip", "addr", "add", overlay(sides[i]) + "/24", "dev", run.iface(sides[i]));
            inNs(sides[i], "ip", "link", "set", run.iface(sides[i]), "up");
        }
        return new Endpoints(pair.namespace("a"), pair.namespace("b"), overlay("b"));
    }

    private static String overlay(String side) {
        return side.equals("a") ? "10.251.0.1" : "10.251.0.2";
    }

    private void awaitSocket(Path socket) throws IOException, InterruptedException {
        for (int i = 0; i < 50 && !Files.exists(socket); i++) {
            requireDaemonsAlive();
            Thread.sleep(100);
        }
        requireDaemonsAlive();
        if (!Files.exists(socket)) {
            throw new IOException("wireguard-go did not open " + socket + " within 5 s");
        }
    }
}
