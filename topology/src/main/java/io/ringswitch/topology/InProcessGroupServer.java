package io.ringswitch.topology;

import io.ringswitch.overlay.group.GroupServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A group server ({@code ringswitch group-server}'s code) for a lab, run in this process with the
 * lab's CA: a veth from the root namespace into the lab's underlay bridge, with {@link #IP} on
 * this end and a route to every site's underlay address, so that the lab's nodes reach it as they
 * would reach a group server on the Internet. {@link #stop} stops the server and keeps the veth
 * (the nodes then find nothing there); {@link #close} removes the veth too, with its routes.
 */
public final class InProcessGroupServer implements AutoCloseable {
    /** The server's address on the lab's underlay (10.99.0.250 is GroupServerBrowserTest's). */
    public static final String IP = "10.99.0.249";
    /** Its HTTPS port: fixed, so that a restart keeps the address the nodes were given. */
    public static final int PORT = 8443;
    private static final Duration CMD = Duration.ofSeconds(10);

    private final LabSpec spec;
    private final String link;
    private final Consumer<String> progress;
    private GroupServer server;
    private final String url;
    private final String sha256;
    private final Path dir;

    private InProcessGroupServer(LabSpec spec, String link, Path dir, GroupServer server, Consumer<String> progress) {
        this.spec = spec;
        this.link = link;
        this.dir = dir;
        this.server = server;
        this.url = server.url();
        this.sha256 = server.tlsSha256();
        this.progress = progress;
    }

    /**
     * Starts the server for {@code lab}, which is up, with its store in {@code RUN/group-server-inproc},
     * the administrator's {@code password}, and site 1's node as the bootstrap endpoint.
     */
    public static InProcessGroupServer start(Lab lab, String password, Consumer<String> progress) throws IOException {
        LabSpec spec = lab.spec();
        String link = spec.prefix() + "-gs";
        Shell.run(CMD, "ip", "link", "del", link);
        Shell.run(CMD, "ip", "link", "add", link, "type", "veth", "peer", "name", link + "w", "netns", spec.wanNamespace()).orThrow();
        try {
            Shell.run(CMD, "ip", "-n", spec.wanNamespace(), "link", "set", link + "w", "master", "br0", "up").orThrow();
            Shell.run(CMD, "ip", "addr", "add", IP + "/32", "dev", link).orThrow();
            Shell.run(CMD, "ip", "link", "set", link, "up").orThrow();
            for (int s = 1; s <= spec.sites(); s++) {
                Shell.run(CMD, "ip", "route", "replace", spec.siteUnderlayIp(s) + "/32", "dev", link, "src", IP).orThrow();
            }
            Path dir = lab.runDir().resolve("group-server-inproc");
            GroupServer server = GroupServer.start(new GroupServer.Settings(dir, new InetSocketAddress(IP, PORT),
                    lab.runDir().resolve("ca"), List.of(spec.siteUnderlayIp(1) + ":" + Lab.NODE_PORT), Duration.ofDays(3)),
                    password, Clock.systemUTC());
            progress.accept("group server at " + server.url() + " (in this process, veth " + link + " into " + spec.wanNamespace()
                    + ")");
            return new InProcessGroupServer(spec, link, dir, server, progress);
        } catch (IOException | RuntimeException e) {
            Shell.run(CMD, "ip", "link", "del", link);
            throw e;
        }
    }

    /** {@code https://IP:PORT}. */
    public String url() {
        return url;
    }

    /** SHA-256 of the server's TLS certificate, the pin nodes and the admin client use. */
    public String sha256() {
        return sha256;
    }

    /** The server's TLS certificate file. */
    public Path tlsCertificate() {
        return dir.resolve("server-tls.crt");
    }

    /** The {@code revocation:} line of a node config that fetches this server's CRL every {@code seconds}. */
    public String revocationConfig(int seconds) {
        return "revocation: {server: " + url + ", serverSha256: " + sha256 + ", intervalSeconds: " + seconds + "}";
    }

    /** Whether the server runs. */
    public boolean running() {
        return server != null;
    }

    /** Stops the server as if its host went down; the veth stays. */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
            progress.accept("group server stopped");
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Shell.run(CMD, "ip", "link", "del", link);
        } catch (IOException e) {
            progress.accept("could not remove " + link + " (" + spec.name() + "): " + e.getMessage());
        }
    }
}
