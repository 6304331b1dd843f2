package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the full-tunnel tour and test do from a full-tunnel client's host (host 1 of its site): fetch the internet's page by name with curl, retried every 200 ms; try to get traffic
 * past the tunnel on purpose; run iperf3 transfers to the internet.
 */
public final class TunnelProbes {
    private static final Duration RETRY = Duration.ofMillis(200);
    private static final int FAILOVER_IPERF_PORT = 5202;
    /** Where the internet's IPv6 address lives: what {@link #attemptLeaks} routes by hand. */
    private static final String LEAK_ROUTE = "2001:db8:99::/48";
    /** A client's interval line: {@code [  5]   1.00-1.50   sec  3.62 MBytes  60.8 Mbits/sec ...}. */
    private static final Pattern INTERVAL = Pattern.compile("\\[\\s*\\d+\\]\\s+([\\d.]+)-([\\d.]+)\\s+sec\\s+([\\d.]+)\\s+([KMG]?)Bytes");

    /** One fetch, or the first that worked of many: whether, how long it took, what came back. */
    public record Fetch(boolean ok, long millis, int attempts, String body, String error) {
        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("url", "http://" + LabSpec.INTERNET_WEB_NAME + "/");
            out.put("ok", ok);
            out.put("ms", millis);
            out.put("attempts", attempts);
            out.put("body", body.trim());
            if (!ok) {
                out.put("error", error);
            }
            return out;
        }
    }

    /** A transfer that was open when its gateway failed: what it moved before and after. */
    public record TransferResult(double mbBefore, double secondsBefore, double mbAfter, double secondsWithDataAfter,
                                 boolean finished) {
        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mbytes_before_kill", mbBefore);
            out.put("seconds_before_kill", secondsBefore);
            out.put("mbytes_after_kill", mbAfter);
            out.put("seconds_with_data_after_kill", secondsWithDataAfter);
            out.put("client_finished", finished);
            return out;
        }
    }

    private final Lab lab;
    private final int site;
    private final String hostNs;

    /** Probes from host 1 of full-tunnel site {@code site}. */
    public TunnelProbes(Lab lab, int site) {
        this.lab = lab;
        this.site = site;
        this.hostNs = lab.spec().hostNamespace(site, 1);
    }

    /** One curl of the page by name, through the site's resolver, within 2 s. */
    public Fetch fetch() throws IOException {
        long start = System.nanoTime();
        Shell.Result r = lab.exec(hostNs, Duration.ofSeconds(5), "curl", "-sS", "-m", "2", "http://" + LabSpec.INTERNET_WEB_NAME + "/");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        boolean ok = r.ok() && FullTunnelTour.isPage(r.output());
        return new Fetch(ok, ms, 1, ok ? r.output() : "", ok ? "" : r.output().trim());
    }

    /** Fetches every 200 ms until one works or {@code limit} passed; the time is from the first try. */
    public Fetch fetchUntil(Duration limit) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int attempts = 0;
        Fetch last;
        do {
            attempts++;
            last = fetch();
            if (last.ok()) {
                return new Fetch(true, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), attempts, last.body(), "");
            }
            Thread.sleep(RETRY.toMillis());
        } while (System.nanoTime() < deadline);
        return new Fetch(false, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), attempts, "", last.error());
    }

    /**
     * Fetches the internet's page over IPv6 ({@code curl -6 http://[2001:db8:99::10]/}) from the
     * host's VPN address {@link LabSpec#hostVpnIp6} (given again each time with duplicate address
     * detection, which is what binds it to the host's port), every 200 ms until one works or {@code limit} passed. The
     * host's IPv6 default route is the one the site's router advertisements give it (none while
     * IPv6 is not carried); what {@link #attemptLeaks} added by hand (its address, its route and
     * neighbour entry) is removed first.
     */
    public Fetch fetchIpv6(Duration limit) throws IOException, InterruptedException {
        Duration cmd = Duration.ofSeconds(5);
        String vpnAddress = lab.spec().hostVpnIp6(site, 1) + "/64";
        lab.exec(hostNs, cmd, "ip", "-6", "addr", "del", leakAddress(), "dev", "eth0");
        lab.exec(hostNs, cmd, "ip", "-6", "route", "del", LEAK_ROUTE, "dev", "eth0");
        lab.exec(hostNs, cmd, "ip", "-6", "neigh", "del", "fe80::1", "dev", "eth0");
        // Added afresh, so that its duplicate address detection binds it again (a restarted node forgot it).
        lab.exec(hostNs, cmd, "ip", "-6", "addr", "del", vpnAddress, "dev", "eth0");
        lab.exec(hostNs, cmd, "ip", "-6", "addr", "add", vpnAddress, "dev", "eth0");
        long dad = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < dad && !lab.exec(hostNs, cmd, "ip", "-6", "addr", "show", "dev", "eth0", "tentative")
                .output().isBlank()) {
            Thread.sleep(100);
        }
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        int attempts = 0;
        Shell.Result last;
        do {
            attempts++;
            last = lab.exec(hostNs, cmd, "curl", "-6", "-sS", "-m", "2", "http://[" + LabSpec.INTERNET_IPV6 + "]/");
            if (last.ok() && FullTunnelTour.isPage(last.output())) {
                return new Fetch(true, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), attempts, last.output(), "");
            }
            Thread.sleep(RETRY.toMillis());
        } while (System.nanoTime() < deadline);
        return new Fetch(false, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), attempts, "", last.output().trim());
    }

    private String leakAddress() {
        return "2001:db8:77::" + site + ":1/64";
    }

    /** The host's IPv6 default route, as {@code ip -6 route show default} prints it (empty: none). */
    public String ipv6DefaultRoute() throws IOException {
        return lab.exec(hostNs, Duration.ofSeconds(5), "ip", "-6", "route", "show", "default").output().trim();
    }

    /**
     * A route of the host's own to the internet's IPv6 addresses via fe80::1, whose neighbour entry
     * is the site MAC: IPv6 sent past the router advertisements' say.
     */
    private void routeIpv6ViaSite() throws IOException {
        Duration limit = Duration.ofSeconds(5);
        lab.exec(hostNs, limit, "ip", "-6", "neigh", "replace", "fe80::1", "lladdr", siteMac(), "dev", "eth0");
        lab.exec(hostNs, limit, "ip", "-6", "route", "replace", LEAK_ROUTE, "via", "fe80::1", "dev", "eth0");
    }

    /** Whether any fetch, tried every 200 ms for {@code period}, worked. */
    public boolean anyFetchWorks(Duration period) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            if (fetch().ok()) {
                return true;
            }
            Thread.sleep(RETRY.toMillis());
        }
        return false;
    }

    /**
     * Tries to get past the tunnel on purpose: ping the web server, ask the internet's DNS server
     * directly, curl and ping over IPv6 (after giving the host a global IPv6 address and a route
     * of its own whose next hop is the site's MAC), and raw frames to the site's MAC (a UDP datagram to the
     * web server, and a frame of an unknown EtherType). Returns what each attempt got: whatever came
     * back went through a gateway; the uplink capture says whether anything went around.
     */
    public Map<String, Object> attemptLeaks() throws IOException {
        LabSpec spec = lab.spec();
        Duration limit = Duration.ofSeconds(10);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ping_web_server", Ping.parse(lab.exec(hostNs, limit, "ping", "-n", "-q", "-c", "2", "-i", "0.2", "-W", "1",
                LabSpec.INTERNET_WEB_IP).output()).received() > 0);
        out.put("dns_straight_to_internet", lab.exec(hostNs, limit, "busybox", "nslookup", LabSpec.INTERNET_WEB_NAME,
                LabSpec.INTERNET_DNS_IP).output().contains(LabSpec.INTERNET_WEB_IP));
        String siteMac = siteMac();
        lab.exec(hostNs, limit, "ip", "-6", "addr", "replace", leakAddress(), "dev", "eth0", "nodad");
        routeIpv6ViaSite();
        out.put("curl_ipv6", lab.exec(hostNs, limit, "curl", "-6", "-sS", "-m", "2", "http://[" + LabSpec.INTERNET_IPV6 + "]/").ok());
        out.put("ping_ipv6", lab.exec(hostNs, limit, "ping", "-6", "-n", "-c", "2", "-i", "0.2", "-W", "1",
                LabSpec.INTERNET_IPV6).ok());
        String hostMac = spec.hostMac(site, 1);
        String hostIp = spec.hostIp(site, 1);
        lab.exec(hostNs, limit, "packit", "-t", "UDP", "-i", "eth0", "-e", hostMac, "-E", siteMac, "-s", hostIp, "-d",
                LabSpec.INTERNET_WEB_IP, "-S", "4000", "-D", "9", "-c", "3");
        lab.exec(hostNs, limit, "packit", "-t", "UDP", "-i", "eth0", "-e", hostMac, "-E", siteMac, "-s", hostIp, "-d",
                LabSpec.INTERNET_DNS_IP, "-S", "4000", "-D", "53", "-c", "3");
        out.put("raw_frames_sent", 6);
        out.put("site_mac", siteMac);
        return out;
    }

    /** The MAC the host's router address resolves to: the site MAC the controller answers with. */
    private String siteMac() throws IOException {
        Duration limit = Duration.ofSeconds(5);
        lab.exec(hostNs, limit, "ping", "-n", "-q", "-c", "1", "-W", "1", LabSpec.ROUTER_IP);
        String neigh = lab.exec(hostNs, limit, "ip", "neigh", "show", LabSpec.ROUTER_IP).output();
        Matcher m = Pattern.compile("lladdr ([0-9a-f:]{17})").matcher(neigh);
        return m.find() ? m.group(1) : "ff:ff:ff:ff:ff:ff";
    }

    /** An iperf3 run from {@code namespace} to the internet's iperf3 server; Mbit/s received, NaN on failure. */
    public double iperf(String namespace, int seconds) throws IOException {
        Shell.Result r = lab.exec(namespace, Duration.ofSeconds(seconds + 20), "iperf3", "-c", LabSpec.INTERNET_WEB_IP, "-t",
                Integer.toString(seconds), "-J");
        return FullTunnelTour.receivedMbps(r.output());
    }

    /** An open transfer from the client's host, with a one-off iperf3 server of its own in the internet namespace. */
    public final class Transfer {
        private final Process server;
        private final Process client;
        private final Path output;
        private final long startNanos = System.nanoTime();
        private long markNanos;

        private Transfer(Process server, Process client, Path output) {
            this.server = server;
            this.client = client;
            this.output = output;
        }

        /** Notes now as the moment the gateway failed. */
        public void mark() {
            markNanos = System.nanoTime();
        }

        /** Waits for the client to end (or ends it), and splits what it reported at the mark. */
        public TransferResult finish() throws IOException, InterruptedException {
            boolean finished = client.waitFor(20, TimeUnit.SECONDS);
            client.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            server.descendants().forEach(ProcessHandle::destroyForcibly);
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            double mark = markNanos == 0 ? Double.MAX_VALUE : (markNanos - startNanos) / 1e9;
            double before = 0;
            double after = 0;
            double secondsAfter = 0;
            for (String line : Files.readAllLines(output)) {
                Matcher m = INTERVAL.matcher(line);
                if (!m.find() || line.contains("sender") || line.contains("receiver")) {
                    continue;
                }
                double end = Double.parseDouble(m.group(2));
                double mb = Double.parseDouble(m.group(3)) * switch (m.group(4)) {
                    case "K" -> 1.0 / 1024;
                    case "G" -> 1024;
                    case "" -> 1.0 / (1024 * 1024);
                    default -> 1;
                };
                if (end <= mark) {
                    before += mb;
                } else {
                    after += mb;
                    if (mb > 0) {
                        secondsAfter += end - Double.parseDouble(m.group(1));
                    }
                }
            }
            return new TransferResult(round(before), round(Math.min(mark, 1e6)), round(after), round(secondsAfter), finished);
        }
    }

    /** Starts a transfer of {@code seconds} from the client's host to the internet, reported every 0.5 s. */
    public Transfer startTransfer(int seconds) throws IOException, InterruptedException {
        String inet = lab.spec().internetNamespace();
        Path output = lab.runDir().resolve("failover-iperf3.txt");
        Process server = new ProcessBuilder(Shell.inNetns(inet, "iperf3", "-s", "-1", "-p",
                Integer.toString(FAILOVER_IPERF_PORT))).redirectErrorStream(true)
                .redirectOutput(lab.runDir().resolve("failover-iperf3-server.txt").toFile()).start();
        Thread.sleep(300);
        Process client = new ProcessBuilder(Shell.inNetns(hostNs, "iperf3", "-c", LabSpec.INTERNET_WEB_IP, "-p",
                Integer.toString(FAILOVER_IPERF_PORT), "-t", Integer.toString(seconds), "-i", "0.5", "--forceflush",
                "--connect-timeout", "3000")).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new Transfer(server, client, output);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
