package io.ringswitch.topology.cli;

import io.ringswitch.overlay.api.Endpoints;
import io.ringswitch.overlay.group.GroupServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ringswitch group-server}: runs the group server (join page, administration, enrolment,
 * renewal, CRL) until stopped. The administrator's password is read from a file at first start.
 */
@Command(name = "group-server", mixinStandardHelpOptions = true,
        description = "Run the group server: join page, administration, enrolment and renewal of certificates, CRL.")
final class GroupServerCommand implements Callable<Integer> {
    @Option(names = "--dir", required = true, description = "Where the server keeps its store and TLS key.")
    Path dir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:8443", description = "HTTPS address (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--ca", required = true, description = "The group CA's directory (ringswitch ca init).")
    Path ca;

    @Option(names = "--bootstrap", split = ",", description = "HOST:PORT of ring nodes, written into every node's config.")
    List<String> bootstrap;

    @Option(names = "--admin-password-file", description = "A file holding the administrator's password (first start).")
    Path passwordFile;

    @Option(names = "--lifetime", defaultValue = "4d", converter = DurationConverter.class,
            description = "How long a node certificate lives: 90s, 15m, 36h, 4d (default ${DEFAULT-VALUE}); nodes renew "
                    + "before two thirds of it. At least " + GroupServer.MIN_LIFETIME_SECONDS + " s.")
    Duration lifetime;

    @Override
    public Integer call() throws Exception {
        List<String> peers = bootstrap == null ? List.of() : bootstrap;
        if (lifetime.toSeconds() < GroupServer.MIN_LIFETIME_SECONDS) {
            System.err.println("group-server: --lifetime is at least " + GroupServer.MIN_LIFETIME_SECONDS + " s (got " + lifetime + ")");
            return 2;
        }
        GroupServer server;
        try {
            for (String p : peers) {
                Endpoints.parse(p);
            }
            String password = passwordFile == null ? null : Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            server = GroupServer.start(new GroupServer.Settings(dir, Endpoints.parse(listen), ca, peers,
                    lifetime), password, Clock.systemUTC());
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("group-server: " + e.getMessage());
            return 1;
        }
        System.out.println("group server on " + server.url() + "  (TLS certificate SHA-256 " + server.tlsSha256() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
