package io.ringswitch.topology;

import io.ringswitch.topology.internet.InternetServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's Internet (issue 17): namespace {@link LabSpec#internetNamespace} on the underlay bridge
 * at {@link LabSpec#INTERNET_UNDERLAY_IP}, holding the public addresses {@link LabSpec#INTERNET_WEB_IP}
 * and {@link LabSpec#INTERNET_DNS_IP} and running the {@link InternetServer} (HTTP, DNS) and
 * {@code iperf3 -s}. Every open site's default route points at it, so that a frame leaking out of a
 * full-tunnel site's uplink would really reach it; hosts route through and resolve at the site's
 * router address, which the controller answers. Teardown ends its processes with its namespace.
 */
final class Internet {
    private static final Duration CMD = Duration.ofSeconds(30);
    /** Where in the internet namespace its link to the underlay bridge is. */
    static final String LINK = "inet0";
    /** The underlay bridge's side of it (in the wan namespace). */
    static final String WAN_PORT = "inet";

    private final LabSpec spec;
    private final LabLedger ledger;
    private final Path runDir;

    Internet(LabSpec spec, LabLedger ledger, Path runDir) {
        this.spec = spec;
        this.ledger = ledger;
        this.runDir = runDir;
    }

    /** The file the internet server logs every request to ({@link io.ringswitch.topology.internet.InternetLog}). */
    static Path requestLog(Path runDir) {
        return runDir.resolve("internet").resolve("requests.log");
    }

    /** The namespace, its link and addresses, and its servers (waited for until they listen). */
    void create() throws IOException, InterruptedException {
        String ns = spec.internetNamespace();
        ledger.namespace(ns);
        sh("ip", "netns", "add", ns);
        sh("ip", "-n", ns, "link", "set", "lo", "up");
        String mtu = Integer.toString(spec.underlayMtu());
        sh("ip", "link", "add", LINK, "netns", ns, "mtu", mtu, "type", "veth", "peer", "name", WAN_PORT, "netns",
                spec.wanNamespace(), "mtu", mtu);
        sh("ip", "-n", spec.wanNamespace(), "link", "set", WAN_PORT, "master", "br0", "up");
        sh("ip", "-n", ns, "addr", "add", LabSpec.INTERNET_UNDERLAY_IP + "/24", "dev", LINK);
        sh("ip", "-n", ns, "-6", "addr", "add", LabSpec.INTERNET_UNDERLAY_IP6 + "/64", "dev", LINK, "nodad");
        sh("ip", "-n", ns, "link", "set", LINK, "up");
        // On lo: the public addresses are the namespace's own (no dummy module on every machine).
        sh("ip", "-n", ns, "addr", "add", LabSpec.INTERNET_WEB_IP + "/32", "dev", "lo");
        sh("ip", "-n", ns, "addr", "add", LabSpec.INTERNET_DNS_IP + "/32", "dev", "lo");
        sh("ip", "-n", ns, "addr", "add", LabSpec.INTERNET_IPV6 + "/128", "dev", "lo");
        startServers(ns);
    }

    private void startServers(String ns) throws IOException, InterruptedException {
        Path dir = requestLog(runDir).getParent();
        Files.createDirectories(dir);
        Path out = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", ns, java, "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                InternetServer.class.getName(), requestLog(runDir).toString(), LabSpec.INTERNET_DNS_IP,
                LabSpec.INTERNET_WEB_NAME + "=" + LabSpec.INTERNET_WEB_IP, "example.test=" + LabSpec.INTERNET_WEB_IP,
                "iperf.example.test=" + LabSpec.INTERNET_WEB_IP, "dns.example.test=" + LabSpec.INTERNET_DNS_IP));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        sh("ip", "netns", "exec", ns, "iperf3", "-s", "-D", "--pidfile", dir.resolve("iperf3.pid").toString(),
                "--logfile", dir.resolve("iperf3.log").toString());
        for (int i = 0; i < 300; i++) {
            if (Files.exists(out) && Files.readString(out).contains(InternetServer.READY)) {
                return;
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new IOException("the internet server in " + ns + " did not start; see " + out + ":\n" + Teardown.tail(out));
    }

    /**
     * The default route of an open site via the internet namespace. Sites behind a router keep the
     * router's routes (no gateway or full-tunnel site is behind one: {@link LabSpec#checked}). A
     * gateway site also gets an IPv6 underlay address and IPv6 default route, for the IPv6 it carries;
     * other sites have none, so a client's IPv6 could only reach the internet through a gateway.
     */
    void routeSite(int site) throws IOException {
        String ns = spec.siteNamespace(site);
        if (!spec.edge(site).routed()) {
            sh("ip", "-n", ns, "route", "replace", "default", "via", LabSpec.INTERNET_UNDERLAY_IP);
        }
        if (spec.gateway(site)) {
            sh("ip", "-n", ns, "-6", "addr", "replace", spec.siteUnderlayIp6(site) + "/64", "dev", Underlay.WAN, "nodad");
            sh("ip", "-n", ns, "-6", "route", "replace", "default", "via", LabSpec.INTERNET_UNDERLAY_IP6, "dev", Underlay.WAN);
        }
    }

    /**
     * A host's default route via the site's router address, and its resolver there: written to
     * {@code /etc/netns/NS/resolv.conf}, which {@code ip netns exec} bind-mounts over /etc/resolv.conf.
     */
    void routeHost(int site, int host) throws IOException {
        String ns = spec.hostNamespace(site, host);
        sh("ip", "-n", ns, "route", "replace", "default", "via", LabSpec.ROUTER_IP, "dev", "eth0");
        Path etc = Teardown.NETNS_ETC.resolve(ns);
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("resolv.conf"), "nameserver " + LabSpec.ROUTER_IP + "\noptions timeout:1 attempts:1\n");
    }

    private static void sh(String... command) throws IOException {
        Shell.run(CMD, command).orThrow();
    }
}
