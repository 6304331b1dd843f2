package io.ringswitch.topology;

import io.ringswitch.overlay.group.GroupServer;
import io.ringswitch.overlay.group.ServerCertificate;
import io.ringswitch.overlay.security.LocalFiles;
import io.ringswitch.overlay.security.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A renewing lab's group server ({@link LabSpec#renewsCertificates}): {@code ringswitch group-server}
 * in its own JVM in the lab's underlay namespace, at {@link LabSpec#GROUP_SERVER_IP} on the underlay
 * bridge, holding the lab's CA, issuing certificates of the lab's lifetime. Every site is admitted
 * before the server starts ({@link GroupServer#admit}: the lab made its key and certificate, as an
 * administrator would with {@code ringswitch ca issue}), and its node config gets the
 * {@code renewal:} section that names the server and pins its TLS key. The process ends with the
 * lab: teardown ends every process in the lab's namespaces.
 */
final class LabGroupServer {
    static final String DIR = "group-server";
    static final String LOG = "group-server.log";
    /** The server's store in its directory (the group server's own name for it). */
    private static final String STORE_FILE = "group.json";
    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final LabSpec spec;
    private final Path runDir;

    LabGroupServer(LabSpec spec, Path runDir) {
        this.spec = spec;
        this.runDir = runDir;
    }

    /** The server's address as nodes reach it. */
    static String url() {
        return "https://" + LabSpec.GROUP_SERVER_IP + ":" + LabSpec.GROUP_SERVER_PORT;
    }

    /**
     * Admits every site ({@code certificates}: site 1's certificate file first), starts the server
     * and waits until it listens; returns the {@code renewal:} line of every node config.
     */
    String start(List<Path> certificates) throws IOException, InterruptedException {
        Path dir = runDir.resolve(DIR);
        Files.createDirectories(dir);
        // A store left from an earlier run of this lab would hold the sites' names already.
        Files.deleteIfExists(dir.resolve(STORE_FILE));
        Instant now = Instant.now();
        for (int s = 1; s <= certificates.size(); s++) {
            GroupServer.admit(dir, runDir.resolve("ca"), "site" + s, Pem.readCertificate(certificates.get(s - 1)), now);
        }
        String fingerprint = ServerCertificate.loadOrCreate(dir, LabSpec.GROUP_SERVER_IP).sha256();
        Path password = dir.resolve("admin-password");
        byte[] secret = new byte[18];
        new SecureRandom().nextBytes(secret);
        LocalFiles.write(password, Base64.getUrlEncoder().encode(secret), LocalFiles.OWNER_ONLY);
        Shell.run(Duration.ofSeconds(10), "ip", "-n", spec.wanNamespace(), "addr", "add", LabSpec.GROUP_SERVER_IP + "/24",
                "dev", "br0").orThrow();
        List<String> command = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", spec.wanNamespace(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.ringswitch.topology.cli.RingSwitchCli", "group-server", "--dir", dir.toString(),
                "--listen", LabSpec.GROUP_SERVER_IP + ":" + LabSpec.GROUP_SERVER_PORT, "--ca", runDir.resolve("ca").toString(),
                "--admin-password-file", password.toString(), "--bootstrap", spec.siteUnderlayIp(1) + ":" + Lab.NODE_PORT,
                "--lifetime", spec.certLifetime().toSeconds() + "s"));
        Path log = runDir.resolve(LOG);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitListening(process, log);
        return "renewal: {server: '" + url() + "', serverSha256: " + fingerprint + "}";
    }

    /** Waits for the server's line saying where it listens; throws with its log's end if it died or took too long. */
    private static void awaitListening(Process process, Path log) throws IOException, InterruptedException {
        long end = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < end) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (out.contains("group server on https://")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException("the lab's group server ended (exit " + process.exitValue() + "): " + tail(out));
            }
            Thread.sleep(200);
        }
        throw new IOException("the lab's group server did not listen within " + START_LIMIT.toSeconds() + " s; see " + log);
    }

    private static String tail(String out) {
        return out.length() <= 600 ? out : out.substring(out.length() - 600);
    }
}
