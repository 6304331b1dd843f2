package io.ringswitch.topology.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * tinc 1.0 in switch mode over TAP, default cipher (Blowfish/SHA1), overlay 10.252.0.0/24. tinc 1.0
 * has no control socket; each daemon gets its own pidfile (the default one is shared). Only side
 * {@code a} connects: with both, the meta connection churns.
 */
final class TincPeer extends TunnelPeer {

    TincPeer(RunContext run) {
        super(run);
    }

    @Override
    public String id() {
        return "tinc";
    }

    @Override
    public String label() {
        return "tinc 1.0 switch";
    }

    @Override
    public List<String> packages() {
        return List.of("tinc");
    }

    @Override
    public List<String> programs() {
        return List.of("tincd");
    }

    @Override
    protected Endpoints start() throws IOException {
        for (String side : new String[] {"a", "b"}) {
            Path conf = dir().resolve(side);
            Files.createDirectories(conf.resolve("hosts"));
            String config = "Name = " + node(side) + "\nMode = switch\nDeviceType = tap\nInterface = " + run.iface(side)
                    + "\nAddressFamily = ipv4\nBindToAddress = " + NamespacePair.underlay(side) + "\n"
                    + (side.equals("a") ? "ConnectTo = " + node("b") + "\n" : "");
            Files.writeString(conf.resolve("tinc.conf"), config);
            Files.writeString(conf.resolve("hosts").resolve(node(side)),
                    "Address = " + NamespacePair.underlay(side) + "\nPort = 655\n");
            Path up = conf.resolve("tinc-up");
            Files.writeString(up, "#!/bin/sh\nip addr add " + overlay(side) + "/24 dev $INTERFACE\nip link set $INTERFACE up\n");
            if (!up.toFile().setExecutable(true, true)) {
                throw new IOException("cannot make " + up + " executable");
            }
            sh("tincd", "-c", conf.toString(), "-K2048");
        }
        for (String side : new String[] {"a", "b"}) {
            String other = side.equals("a") ? "b" : "a";
            Files.copy(dir().resolve(side).resolve("hosts").resolve(node(side)),
                    dir().resolve(other).resolve("hosts").resolve(node(side)), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String side : new String[] {"a", "b"}) {
            String log = "tincd-" + side + ".log";
            daemon(side, log, "tincd", "-c", dir().resolve(side).toString(), "-D", "-d1",
                    "--pidfile=" + dir().resolve(side + ".pid"), "--logfile=" + dir().resolve(log));
        }
        return new Endpoints(pair.namespace("a"), pair.namespace("b"), overlay("b"));
    }

    private static String node(String side) {
        return side.equals("a") ? "nodeA" : "nodeB";
    }

    private static String overlay(String side) {
        return side.equals("a") ? "10.252.0.1" : "10.252.0.2";
    }
}
