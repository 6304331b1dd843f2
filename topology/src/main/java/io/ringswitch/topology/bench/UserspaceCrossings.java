package io.ringswitch.topology.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.topology.Lab;
import io.ringswitch.topology.LabSpec;
import io.ringswitch.topology.Packit;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How many frames cross into and out of RingSwitch's own processes per ARP and per DHCP exchange
 * (issue 16): the overlay port's (TAP) packet counters in every site's namespace (frames OVS
 * handed the node, frames the node wrote), and the controllers' packet-ins and packet-outs. An ARP
 * request for an address the switch knows should cross none of them; a DHCP exchange only the
 * controller of the client's own site.
 */
public final class UserspaceCrossings {
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final Duration CMD = Duration.ofSeconds(20);
    static final int ARP_REQUESTS = 5;
    private static final int QUIET_SECONDS = 3;
    private static final int QUIET_LIMIT_SECONDS = 30;
    static final int DHCP_EXCHANGES = 3;

    /** Frames per exchange, averaged over the exchanges of one kind. */
    public record PerExchange(int exchanges, double nodeReads, double nodeWrites, double packetIns, double packetOuts) {
        public double total() {
            return nodeReads + nodeWrites + packetIns + packetOuts;
        }
    }

    /** Per ARP request for a known remote address, and per DHCP exchange (DISCOVER, OFFER, REQUEST, ACK). */
    public record Result(PerExchange arp, PerExchange dhcp) {
    }

    /** What {@code ip -s -j link show} prints of a device's packet counters (iproute2's JSON). */
    record IpLink(Stats64 stats64) {
        record Stats64(Direction rx, Direction tx) {
        }

        record Direction(long packets) {
        }
    }

    private record Counts(long nodeReads, long nodeWrites, long packetIns, long packetOuts) {
        PerExchange since(Counts before, int exchanges) {
            return new PerExchange(exchanges, (nodeReads - before.nodeReads) / (double) exchanges,
                    (nodeWrites - before.nodeWrites) / (double) exchanges, (packetIns - before.packetIns) / (double) exchanges,
                    (packetOuts - before.packetOuts) / (double) exchanges);
        }
    }

    private UserspaceCrossings() {
    }

    /** Host 1 of site 1 asks ARP for host 1 of site 2 (known to the switch by then), then leases from DHCP. */
    static Result measure(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        if (!Packit.installed()) {
            throw new IOException("packit is not installed: run ./ringswitch build, which installs the lab's tools");
        }
        String ns = spec.hostNamespace(1, 1);
        lab.ping(1, 1, 2, 1, 2, 0.2);
        Counts start = quiet(lab, progress);
        for (int i = 0; i < ARP_REQUESTS; i++) {
            lab.exec(ns, CMD, Packit.arpRequest(spec.hostMac(1, 1), spec.hostIp(1, 1), spec.hostIp(2, 1))
                    .toArray(String[]::new)).orThrow();
        }
        Counts afterArp = counts(lab);
        for (int i = 0; i < DHCP_EXCHANGES; i++) {
            // busybox's client without a script: the whole exchange, and the host's address stays as it was.
            lab.exec(ns, CMD, "timeout", "10", "busybox", "udhcpc", "-i", "eth0", "-n", "-q", "-f", "-s", "/bin/true")
                    .orThrow();
        }
        Counts afterDhcp = counts(lab);
        Result r = new Result(afterArp.since(start, ARP_REQUESTS), afterDhcp.since(afterArp, DHCP_EXCHANGES));
        progress.accept(String.format("frames into and out of RingSwitch's processes: %.1f per ARP request for a known "
                + "address (%s), %.1f per DHCP exchange (%s)", r.arp().total(), r.arp(), r.dhcp().total(), r.dhcp()));
        return r;
    }

    /**
     * The counters once no frame crossed any overlay port for {@value #QUIET_SECONDS} s (at most
     * {@value #QUIET_LIMIT_SECONDS} s): a lab that just came up still carries its hosts' own start
     * (IPv6 router solicitations to ff02::2, MLD reports and the last ping's replies), which reach
     * every site's port and would count against the ARP requests measured next.
     */
    private static Counts quiet(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(QUIET_LIMIT_SECONDS).toNanos();
        Counts last = counts(lab);
        while (true) {
            Thread.sleep(QUIET_SECONDS * 1000L);
            Counts now = counts(lab);
            if (now.nodeReads() == last.nodeReads() && now.nodeWrites() == last.nodeWrites()) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                progress.accept("the overlay ports never went quiet for " + QUIET_SECONDS + " s; measuring anyway");
                return now;
            }
            last = now;
        }
    }

    /** The counters once every node has written its status after this moment (so they hold what went before). */
    private static Counts counts(Lab lab) throws IOException, InterruptedException {
        long since = System.currentTimeMillis();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long reads = 0;
        long writes = 0;
        long ins = 0;
        long outs = 0;
        for (int s = 1; s <= lab.spec().sites(); s++) {
            NodeStatus st = lab.nodeStatus(s).orElse(null);
            while (st == null || st.writtenAtMillis() <= since + 100) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("site " + s + " wrote no status for 10 s");
                }
                Thread.sleep(100);
                st = lab.nodeStatus(s).orElse(null);
            }
            IpLink[] link = JSON.readValue(lab.exec(lab.spec().siteNamespace(s), CMD, "ip", "-s", "-j", "link", "show",
                    Lab.TAP).orThrow().output(), IpLink[].class);
            // The TAP's transmit side is what OVS hands the node; its receive side, what the node writes.
            reads += link[0].stats64().tx().packets();
            writes += link[0].stats64().rx().packets();
            ins += st.controller().packetIns();
            outs += st.controller().switchCounters().getOrDefault("packet_outs", 0L);
        }
        return new Counts(reads, writes, ins, outs);
    }
}
