package io.ringswitch.topology.bench;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * n2n v1 (Debian's {@code n2n}, "1.3.2", Twofish), overlay 10.253.0.0/24: a supernode in namespace
 * {@code a} and one edge on each side. The edges find each other through the supernode and then
 * talk directly. n2n v1 does not interoperate with n2n v2 or v3.
 */
final class N2nPeer extends TunnelPeer {
    private static final String SUPERNODE_PORT = "7654";
    private static final String EDGE_PORT = "7655";

    N2nPeer(RunContext run) {
        super(run);
    }

    @Override
    public String id() {
        return "n2n";
    }

    @Override
    public String label() {
        return "n2n v1";
    }

    @Override
    public List<String> packages() {
        return List.of("n2n");
    }

    @Override
    public List<String> programs() {
        return List.of("edge", "supernode");
    }

    @Override
    protected Endpoints start() throws IOException, InterruptedException {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        String key = HexFormat.of().formatHex(secret);
        daemon("a", "supernode.log", "supernode", "-l", SUPERNODE_PORT);
        Thread.sleep(500);
        for (String side : new String[] {"a", "b"}) {
            daemon(side, "edge-" + side + ".log", "edge", "-d", run.iface(side), "-a", overlay(side),
                    "-s", "255.255.255.0", "-c", "rsbench", "-k", key,
                    "-l", NamespacePair.UNDERLAY_A + ":" + SUPERNODE_PORT, "-p", EDGE_PORT,
                    "-m", side.equals("a") ? "02:00:00:00:0a:01" : "02:00:00:00:0a:02");
        }
        return new Endpoints(pair.namespace("a"), pair.namespace("b"), overlay("b"));
    }

    private static String overlay(String side) {
        return side.equals("a") ? "10.253.0.1" : "10.253.0.2";
    }
}
