package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Standard DHCP clients on the lab's hosts, against the nodes' DHCP servers: ISC {@code dhclient}
 * (runs on and renews its lease) and busybox {@code udhcpc} (takes a lease and exits). Each adds the
 * leased address beside the host's static one and applies the MTU the lease gives.
 */
public final class DhcpClients {
    private static final Pattern INET = Pattern.compile("inet (10\\.77\\.(\\d+)\\.\\d+)/(\\d+)");
    private static final Pattern MTU = Pattern.compile(" mtu (\\d+) ");

    /** A lease a client obtained: the host, the client, the address, the host's MTU after it, and how long it took. */
    public record Lease(String host, String client, String ip, int prefix, int mtu, long millis) {
    }

    private DhcpClients() {
    }

    /** Starts {@code dhclient} on a host (it keeps renewing until the lab goes) and waits for its lease. */
    public static Lease dhclient(Lab lab, int site, int host, Duration limit) throws IOException, InterruptedException {
        String ns = lab.spec().hostNamespace(site, host);
        Path dir = lab.siteDir(site);
        String name = "dhclient-h" + host;
        long start = System.nanoTime();
        Shell.run(Duration.ofSeconds(10), Shell.inNetns(ns, "sh", "-c", "setsid dhclient -4 -d -v"
                + " -lf " + dir.resolve(name + ".leases") + " -pf " + dir.resolve(name + ".pid")
                + " eth0 >" + dir.resolve(name + ".log") + " 2>&1 < /dev/null &")).orThrow();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Lease> lease = leased(lab, ns, "dhclient", start);
            if (lease.isPresent()) {
                return lease.get();
            }
            Thread.sleep(200);
        }
        String log = Files.exists(dir.resolve(name + ".log")) ? Files.readString(dir.resolve(name + ".log")) : "";
        throw new IOException("dhclient on " + ns + " got no lease within " + limit.toSeconds() + " s; its log:\n" + log);
    }

    /** Runs busybox {@code udhcpc} on a host until it has a lease (it then exits). */
    public static Lease udhcpc(Lab lab, int site, int host, Duration limit) throws IOException, InterruptedException {
        String ns = lab.spec().hostNamespace(site, host);
        long start = System.nanoTime();
        Shell.Result r = Shell.run(limit.plusSeconds(5), Shell.inNetns(ns, "busybox", "udhcpc", "-i", "eth0", "-f", "-q",
                "-n", "-t", Long.toString(Math.max(3, limit.toSeconds() / 2)), "-T", "2", "-O", "mtu",
                "-s", lab.home().resolve("ovs-scripts/udhcpc-script.sh").toString()));
        if (!r.ok()) {
            throw new IOException("udhcpc on " + ns + " got no lease (exit " + r.exitCode() + "):\n" + r.output());
        }
        return leased(lab, ns, "udhcpc", start)
                .orElseThrow(() -> new IOException("udhcpc on " + ns + " reported a lease but eth0 has none:\n" + r.output()));
    }

    /** The leased address on a host's eth0 (one of the DHCP pool, 10.77.200.0 and up), if any. */
    static Optional<Lease> leased(Lab lab, String ns, String client, long startNanos) throws IOException {
        String addr = Shell.run(Duration.ofSeconds(10), Shell.inNetns(ns, "ip", "-4", "-o", "addr", "show", "dev", "eth0"))
                .orThrow().output();
        Matcher m = INET.matcher(addr);
        while (m.find()) {
            if (Integer.parseInt(m.group(2)) >= 200) {
                long millis = (System.nanoTime() - startNanos) / 1_000_000;
                String link = Shell.run(Duration.ofSeconds(10), Shell.inNetns(ns, "ip", "-o", "link", "show", "dev", "eth0"))
                        .output();
                Matcher mtu = MTU.matcher(link);
                return Optional.of(new Lease(ns, client, m.group(1), Integer.parseInt(m.group(3)),
                        mtu.find() ? Integer.parseInt(mtu.group(1)) : -1, millis));
            }
        }
        return Optional.empty();
    }
}
