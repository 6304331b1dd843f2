package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One multicast run in a lab with iperf2 (IPv4, or IPv6 when the group is): host 1 of each member site (or the member
 * hosts named) joins the group (an iperf
 * UDP server bound to it), host 1 of the sender site sends to it for a while, and the result says
 * what each member received and what the other sites took from the ring for groups that are not
 * link-local (nothing, when only member sites get the group). Hosts get a route for
 * 224.0.0.0/4 on their lab interface, without which they can neither join nor send.
 */
public final class MulticastRun {
    public static final String GROUP = "239.1.1.1";
    /** The server's last report line: "... 0.0000-5.0123 sec ... 0.012 ms 0/435 (0%)". */
    private static final Pattern REPORT = Pattern.compile(
            "\\]\\s+(\\d+\\.\\d+)-\\s*(\\d+\\.\\d+) sec.*?(\\d+)/\\s*(\\d+)\\s+\\(");
    private static final Pattern SENT = Pattern.compile("Sent (\\d+) datagrams");

    /** A lab host: host {@code host} of site {@code site}. */
    public record Host(int site, int host) {
    }

    /**
     * What one member host received.
     *
     * @param site        the member's site
     * @param host        the member's host number at its site
     * @param sent        datagrams the sender sent (iperf's count, less its final marker)
     * @param received    datagrams the member's iperf received (its total less its losses)
     * @param lossPercent of {@code sent}, the share that did not arrive
     * @param hostSocketDrops datagrams the member host's kernel dropped because iperf's socket
     *                    buffer was full ({@code Udp RcvbufErrors} of its namespace during the run):
     *                    they crossed the ring and the bridge, and the receiving program was late
     * @param nodeFramesIn frames the member site's node took from the ring during the run
     */
    public record Member(int site, int host, long sent, long received, double lossPercent, long hostSocketDrops,
                         long nodeFramesIn) {

        /**
         * Datagrams that reached the member host's UDP layer: what its program received and what
         * its kernel dropped at the program's full socket buffer (at most {@code sent}).
         */
        public long deliveredToHost() {
            return Math.min(sent, received + hostSocketDrops);
        }

        /** Of {@code sent}, the share that never reached the member host: lost in the switch and the ring. */
        public double switchLossPercent() {
            return sent == 0 ? 0 : 100.0 * (sent - deliveredToHost()) / sent;
        }
    }

    /**
     * A run's outcome.
     *
     * @param sent                      datagrams the sender sent
     * @param members                   per member site, what its host received
     * @param nonMemberFramesFromRing   per site without members (the sender's excluded), multicast
     *                                  frames for groups that are not link-local it took from the
     *                                  ring during the run
     * @param framesToMembers           frames the sender's node sent to member sites during the run
     *                                  (a datagram larger than the hosts' MTU is two IP fragments,
     *                                  two frames: iperf's 1470 bytes under an MTU of 1360)
     * @param copiesSent                copies of those (one per member site)
     * @param droppedNoMembers          frames the sender's node dropped for want of members elsewhere
     * @param senderTapQueueDrops       frames the sender site's TAP device dropped because the node
     *                                  read them too late (lost before the ring for every member)
     */
    public record Result(String group, int senderSite, int seconds, String rate, long sent, List<Member> members,
                         Map<Integer, Long> nonMemberFramesFromRing, long framesToMembers, long copiesSent,
                         long droppedNoMembers, long senderTapQueueDrops) {

        /** Whether every member received every datagram and no other site took any from the ring. */
        public boolean clean() {
            return members.stream().allMatch(m -> m.received >= m.sent)
                    && nonMemberFramesFromRing.values().stream().allMatch(n -> n == 0);
        }
    }

    private MulticastRun() {
    }

    /** A run to {@value #GROUP}: {@code rate} as iperf takes it ({@code 1M}). */
    public static Result run(Lab lab, int senderSite, List<Integer> memberSites, int seconds, String rate)
            throws IOException, InterruptedException {
        return run(lab, GROUP, senderSite, memberSites, seconds, rate);
    }

    public static Result run(Lab lab, String group, int senderSite, List<Integer> memberSites, int seconds, String rate)
            throws IOException, InterruptedException {
        return runOnHosts(lab, group, senderSite, memberSites.stream().map(s -> new Host(s, 1)).toList(), seconds, rate);
    }

    /**
     * A run to {@code group} from host 1 of {@code senderSite} to the member hosts named: a member
     * may be another host of the sender's own site.
     */
    public static Result runOnHosts(Lab lab, String group, int senderSite, List<Host> memberHosts, int seconds, String rate)
            throws IOException, InterruptedException {
        return runOnHosts(lab, group, senderSite, memberHosts, seconds, rate, null);
    }

    /**
     * The same, with each member's iperf asking for a socket receive buffer of {@code receiveBuffer}
     * (iperf's {@code -w}, e.g. {@code 2M}); null keeps the host's default (208 KB here).
     */
    public static Result runOnHosts(Lab lab, String group, int senderSite, List<Host> memberHosts, int seconds, String rate,
                                    String receiveBuffer) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        for (int s = 1; s <= spec.sites(); s++) {
            routeGroups(lab, s, 1);
        }
        for (Host h : memberHosts) {
            if (h.host() != 1) {
                routeGroups(lab, h.site(), h.host());
            }
        }
        List<Integer> memberSites = memberHosts.stream().map(Host::site).distinct().toList();
        Map<Integer, NodeStatus.MulticastStats> before = stats(lab);
        Map<Integer, Long> reportsBefore = reports(lab);
        Map<Host, Long> socketDropsBefore = socketDrops(lab, memberHosts);
        Map<Integer, Long> framesInBefore = framesIn(lab);
        long tapDropsBefore = tapQueueDrops(lab, senderSite);
        List<Process> servers = new ArrayList<>();
        Map<Host, Path> logs = new LinkedHashMap<>();
        try {
            for (Host h : memberHosts) {
                Path log = lab.siteDir(h.site()).resolve(h.host() == 1 ? "iperf-mcast.log" : "iperf-mcast-h" + h.host() + ".log");
                logs.put(h, log);
                servers.add(server(spec.hostNamespace(h.site(), h.host()), group, seconds + 40, log, receiveBuffer));
            }
            awaitMembers(lab, memberSites, reportsBefore);
            List<String> command = new ArrayList<>(List.of("iperf", "-c", bound(group), "-u", "-T", "8",
                    "-t", Integer.toString(seconds), "-b", rate));
            if (group.contains(":")) {
                command.add("-V");
            }
            Shell.Result client = lab.exec(spec.hostNamespace(senderSite, 1), Duration.ofSeconds(seconds + 30),
                    command.toArray(String[]::new));
            Matcher sentMatch = SENT.matcher(client.output());
            if (!sentMatch.find()) {
                throw new IOException("iperf sender in site " + senderSite + " reported nothing sent:\n" + client.output());
            }
            // iperf counts its final marker datagram among those sent; the servers do not.
            long sent = Long.parseLong(sentMatch.group(1)) - 1;
            Thread.sleep(2500);
            Map<Host, Long> socketDropsAfter = socketDrops(lab, memberHosts);
            Map<Integer, Long> framesInAfter = framesIn(lab);
            List<Member> members = new ArrayList<>();
            for (Map.Entry<Host, Path> log : logs.entrySet()) {
                Host h = log.getKey();
                long received = received(Files.readString(log.getValue()));
                members.add(new Member(h.site(), h.host(), sent, received,
                        sent == 0 ? 0 : Math.max(0, sent - received) * 100.0 / sent,
                        socketDropsAfter.get(h) - socketDropsBefore.get(h),
                        framesInAfter.get(h.site()) - framesInBefore.get(h.site())));
            }
            Map<Integer, NodeStatus.MulticastStats> after = stats(lab);
            Map<Integer, Long> others = new LinkedHashMap<>();
            for (int s = 1; s <= spec.sites(); s++) {
                if (s != senderSite && !memberSites.contains(s)) {
                    others.put(s, after.get(s).fromRing() - before.get(s).fromRing());
                }
            }
            NodeStatus.MulticastStats a = after.get(senderSite);
            NodeStatus.MulticastStats b = before.get(senderSite);
            return new Result(group, senderSite, seconds, rate, sent, members, others, a.framesToMembers() - b.framesToMembers(),
                    a.copiesSent() - b.copiesSent(), a.droppedNoMembers() - b.droppedNoMembers(),
                    tapQueueDrops(lab, senderSite) - tapDropsBefore);
        } finally {
            for (Process p : servers) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
            for (Process p : servers) {
                p.waitFor();
            }
        }
    }

    /**
     * Gives a host a route for 224.0.0.0/4 on its lab interface: without one it can neither join
     * an IPv4 group (the join finds no device) nor send to one. IPv6 needs none (ff00::/8 is on
     * every interface).
     */
    public static void routeGroups(Lab lab, int site, int host) throws IOException {
        lab.exec(lab.spec().hostNamespace(site, host), Duration.ofSeconds(10), "ip", "route", "replace", "224.0.0.0/4",
                "dev", "eth0").orThrow();
    }

    /**
     * An iperf2 UDP server in {@code namespace} that joins {@code group} (IPv4, or IPv6 on the
     * host's eth0) and ends after {@code seconds}; its output goes to {@code log}.
     */
    public static Process server(String namespace, String group, int seconds, Path log) throws IOException {
        return server(namespace, group, seconds, log, null);
    }

    /** The same, with a socket receive buffer of {@code receiveBuffer} (iperf's {@code -w}); null for the host's default. */
    public static Process server(String namespace, String group, int seconds, Path log, String receiveBuffer)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("timeout", Integer.toString(seconds), "iperf", "-s", "-u",
                "-B", bound(group), "-i", "1"));
        if (receiveBuffer != null) {
            command.addAll(List.of("-w", receiveBuffer));
        }
        if (group.contains(":")) {
            command.add("-V");
        }
        return new ProcessBuilder(Shell.inNetns(namespace, command.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** An IPv6 group needs the interface: {@code ff15::1%eth0}. */
    private static String bound(String group) {
        return group.contains(":") ? group + "%eth0" : group;
    }

    /**
     * Waits until every member site's node snooped a report since the run began and has a local
     * group, then a little for the publication to reach the DHT.
     */
    private static void awaitMembers(Lab lab, List<Integer> memberSites, Map<Integer, Long> reportsBefore)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Integer> waiting = new ArrayList<>(memberSites);
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no membership report snooped at sites " + waiting);
            }
            Thread.sleep(250);
            Map<Integer, Long> reports = reports(lab);
            Map<Integer, Long> groups = switchCounter(lab, "multicast_groups");
            waiting.removeIf(s -> groups.get(s) > 0 && reports.get(s) > reportsBefore.get(s));
        }
        Thread.sleep(3000);
    }

    /** IGMP/MLD group joins each site's switch heard so far. */
    private static Map<Integer, Long> reports(Lab lab) throws IOException {
        return switchCounter(lab, "igmp_mld_reports");
    }

    /** One of the switch's counters at every site (0 where the controller does not report it yet). */
    private static Map<Integer, Long> switchCounter(Lab lab, String key) throws IOException {
        Map<Integer, Long> all = new LinkedHashMap<>();
        for (int s = 1; s <= lab.spec().sites(); s++) {
            NodeStatus st = lab.nodeStatus(s).orElseThrow(() -> new IOException("a site without a status file"));
            all.put(s, st.controller().switchCounters().getOrDefault(key, 0L));
        }
        return all;
    }

    /**
     * Each member host's UDP receive-buffer drops so far ({@code RcvbufErrors} of the {@code Udp:}
     * lines of {@code /proc/net/snmp} in its namespace).
     */
    private static Map<Host, Long> socketDrops(Lab lab, List<Host> hosts) throws IOException {
        Map<Host, Long> all = new LinkedHashMap<>();
        for (Host h : hosts) {
            Shell.Result snmp = lab.exec(lab.spec().hostNamespace(h.site(), h.host()), Duration.ofSeconds(10),
                    "cat", "/proc/net/snmp");
            all.put(h, udpCounter(snmp.orThrow().output(), "RcvbufErrors"));
        }
        return all;
    }

    /** One counter of the {@code Udp:} header and value lines of {@code /proc/net/snmp}; 0 when absent. */
    static long udpCounter(String snmp, String name) {
        String[] header = null;
        for (String line : snmp.split("\n")) {
            if (!line.startsWith("Udp:")) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (header == null) {
                header = fields;
            } else {
                for (int i = 1; i < header.length && i < fields.length; i++) {
                    if (header[i].equals(name)) {
                        return Long.parseLong(fields[i]);
                    }
                }
                return 0;
            }
        }
        return 0;
    }

    /** Frames each site's node wrote to its overlay port so far (what it took from the ring for its bridge). */
    private static Map<Integer, Long> framesIn(Lab lab) throws IOException {
        Map<Integer, Long> all = new LinkedHashMap<>();
        for (int s = 1; s <= lab.spec().sites(); s++) {
            NodeStatus st = lab.nodeStatus(s).orElseThrow(() -> new IOException("a site without a status file"));
            all.put(s, st.frames().toPort());
        }
        return all;
    }

    /** Frames the TAP device of {@code site}'s node dropped so far because the node read them late. */
    private static long tapQueueDrops(Lab lab, int site) throws IOException {
        NodeStatus st = lab.nodeStatus(site).orElseThrow(() -> new IOException("a site without a status file"));
        return st.dataPath() == null ? 0 : st.dataPath().tapQueueDrops();
    }

    private static Map<Integer, NodeStatus.MulticastStats> stats(Lab lab) throws IOException {
        Map<Integer, NodeStatus.MulticastStats> all = new LinkedHashMap<>();
        for (int s = 1; s <= lab.spec().sites(); s++) {
            NodeStatus st = lab.nodeStatus(s).orElseThrow(() -> new IOException("a site without a status file"));
            if (st.multicast() == null) {
                throw new IOException("the node of site " + st.name() + " reports no multicast figures");
            }
            all.put(s, st.multicast());
        }
        return all;
    }

    /**
     * The datagrams an iperf2 server received: from its final report (start 0, longer than its
     * first interval), or the sum of its interval reports when the final one is missing.
     */
    static long received(String output) {
        long summed = 0;
        long summary = -1;
        Matcher m = REPORT.matcher(output);
        while (m.find()) {
            long total = Long.parseLong(m.group(4));
            long lost = Long.parseLong(m.group(3));
            double start = Double.parseDouble(m.group(1));
            double end = Double.parseDouble(m.group(2));
            if (start == 0 && end > 1.5) {
                summary = total - lost;
            } else {
                summed += total - lost;
            }
        }
        return summary >= 0 ? summary : summed;
    }
}
