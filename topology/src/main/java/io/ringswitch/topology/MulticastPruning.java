package io.ringswitch.topology;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether multicast reaches only the ports that joined (issue 16: "frames ... reach only local
 * member ports"): a {@link MulticastRun} from host 1 of site 1 to host 1 of two member sites, with
 * tcpdump counting packets to the group on hosts that did not join: host 2 of a member site (same
 * bridge as a member: only per-port pruning keeps the stream off it) and a host of a site without
 * members (a site other than the sender's and the members' when the lab has one, else host 2 of
 * the sender's site). Every member must get every packet; the watchers must capture none.
 */
final class MulticastPruning {

    /** One watching host that did not join, where it is, and the packets to the group it captured. */
    record Watch(String host, String where, long captured) {
    }

    /** The run and what the watchers captured. */
    record Report(MulticastRun.Result run, List<Watch> watches) {
        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("group", run.group());
            out.put("sender_site", run.senderSite());
            out.put("member_hosts", run.members().stream().map(m -> "s" + m.site() + "h" + m.host()).toList());
            out.put("rate", run.rate());
            out.put("datagrams_sent", run.sent());
            out.put("every_member_got_every_packet", run.members().stream().allMatch(m -> m.received() >= m.sent()));
            List<Object> w = new ArrayList<>();
            for (Watch watch : watches) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("host", watch.host());
                m.put("where", watch.where());
                m.put("packets_to_group_captured", watch.captured());
                w.add(m);
            }
            out.put("non_members", w);
            if (watches.isEmpty()) {
                out.put("skipped", "needs two hosts per site or a site without members");
            }
            return out;
        }
    }

    private MulticastPruning() {
    }

    /**
     * The run at {@code rate} for {@code seconds}; adds to {@code problems} when a member missed a
     * packet, a site without members took some from the ring, or a watcher captured any.
     */
    static Report run(Lab lab, int seconds, String rate, List<String> problems) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        int sender = 1;
        List<Integer> members = spec.sites() >= 3 ? List.of(2, spec.sites()) : List.of(2);
        List<MulticastRun.Host> watchers = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (spec.hostsPerSite() >= 2) {
            watchers.add(new MulticastRun.Host(members.get(0), 2));
            where.add("member site " + members.get(0) + ", did not join");
        }
        int elsewhere = -1;
        for (int s = 2; s <= spec.sites(); s++) {
            if (!members.contains(s)) {
                elsewhere = s;
                break;
            }
        }
        if (elsewhere > 0) {
            watchers.add(new MulticastRun.Host(elsewhere, 1));
            where.add("site " + elsewhere + " without members");
        } else if (spec.hostsPerSite() >= 2) {
            watchers.add(new MulticastRun.Host(sender, 2));
            where.add("sender's site " + sender + ", without members");
        }
        // UDP only: IGMPv2 reports are addressed to the group too, and a member's report is not the stream. Every IP
        // fragment of a datagram carries the protocol, so fragments count.
        String filter = "udp and dst host " + MulticastRun.GROUP;
        List<HostCapture> captures = new ArrayList<>();
        try {
            for (MulticastRun.Host h : watchers) {
                captures.add(HostCapture.start(lab, h.site(), h.host(), filter, "mcast-pruning"));
            }
            MulticastRun.Result result = MulticastRun.run(lab, sender, members, seconds, rate);
            List<Watch> watches = new ArrayList<>();
            for (int i = 0; i < captures.size(); i++) {
                long n = captures.get(i).stopAndCount();
                watches.add(new Watch(captures.get(i).host(), where.get(i), n));
                if (n > 0) {
                    problems.add("multicast pruning: " + captures.get(i).host() + " (" + where.get(i) + ") captured " + n
                            + " packet(s) to " + MulticastRun.GROUP);
                }
            }
            if (!result.clean()) {
                problems.add("multicast: a member missed packets or a site without members received some: " + result);
            }
            return new Report(result, List.copyOf(watches));
        } finally {
            for (HostCapture c : captures) {
                c.close();
            }
        }
    }
}
