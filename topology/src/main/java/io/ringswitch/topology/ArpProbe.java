package io.ringswitch.topology;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * ARP for known addresses is answered by the bridge's responder flows (issue 16): host 1 of site 1
 * forgets its neighbours and pings host 1 of every other site again; the responder flows' packet
 * counts must rise by at least one per target, and no node may read an ARP request from its
 * overlay port meanwhile (a request the flows answer never reaches the node, let alone the ring).
 */
final class ArpProbe {
    private static final Duration CMD = Duration.ofSeconds(30);
    /** The controller polls flow statistics every 5 s; the status file is written every second. */
    private static final Duration STATS = Duration.ofSeconds(12);

    /** What the probe saw. */
    record Report(int targets, long answeredInDatapath, long answeredByController, long requestsReadByNodes,
                  int pingsAnswered, List<String> problems) {
        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("targets", targets);
            out.put("pings_answered", pingsAnswered);
            out.put("answered_in_datapath", answeredInDatapath);
            out.put("answered_by_controller", answeredByController);
            out.put("arp_requests_read_by_nodes", requestsReadByNodes);
            out.put("ok", problems.isEmpty());
            return out;
        }
    }

    private ArpProbe() {
    }

    static Report run(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<String> problems = new java.util.ArrayList<>();
        int targets = spec.sites() - 1;
        if (targets < 1) {
            return new Report(0, 0, 0, 0, 0, List.of());
        }
        String ns = spec.hostNamespace(1, 1);
        // Every target's address is known to site 1's switch once it was asked for it.
        for (int s = 2; s <= spec.sites(); s++) {
            lab.ping(1, 1, s, 1, 1, 0.2);
        }
        long readBefore = requestsRead(lab);
        Map<String, Long> before = afterNextPoll(lab, counters(lab));
        lab.exec(ns, CMD, "ip", "neigh", "flush", "dev", "eth0").orThrow();
        int answered = 0;
        for (int s = 2; s <= spec.sites(); s++) {
            if (lab.ping(1, 1, s, 1, 1, 0.2).lossless()) {
                answered++;
            }
        }
        Map<String, Long> after = afterNextPoll(lab, counters(lab));
        long datapath = delta(after, before, SwitchCounters.ARP_ANSWERED_IN_DATAPATH);
        long controller = delta(after, before, SwitchCounters.ARP_ANSWERED_BY_CONTROLLER);
        long read = requestsRead(lab) - readBefore;
        if (answered != targets) {
            problems.add("ARP probe: " + answered + " of " + targets + " pings answered after the neighbours were flushed");
        }
        if (datapath < targets) {
            problems.add("ARP probe: the responder flows answered " + datapath + " requests for " + targets + " known addresses");
        }
        if (read > 0) {
            problems.add("ARP probe: nodes read " + read + " ARP requests from their overlay ports for known addresses");
        }
        progress.accept(String.format("ARP for %d known addresses after a neighbour flush: %d answered by responder flows in "
                + "OVS, %d by the controller, %d requests read by the nodes", targets, datapath, controller, read));
        return new Report(targets, datapath, controller, read, answered, List.copyOf(problems));
    }

    /** Site 1's switch counters once its controller has read the flow statistics again (newer than {@code now}). */
    private static Map<String, Long> afterNextPoll(Lab lab, Map<String, Long> now) throws InterruptedException, IOException {
        long polls = now.getOrDefault("flow_stats_polls", 0L);
        long deadline = System.nanoTime() + STATS.toNanos();
        Map<String, Long> next = now;
        while (next.getOrDefault("flow_stats_polls", 0L) <= polls) {
            if (System.nanoTime() > deadline) {
                throw new IOException("site 1's controller read no flow statistics for " + STATS.toSeconds() + " s");
            }
            Thread.sleep(250);
            next = counters(lab);
        }
        return next;
    }

    private static Map<String, Long> counters(Lab lab) {
        return lab.nodeStatus(1).map(SwitchCounters::read).orElse(Map.of());
    }

    private static long delta(Map<String, Long> after, Map<String, Long> before, String key) {
        return after.getOrDefault(key, 0L) - before.getOrDefault(key, 0L);
    }

    private static long requestsRead(Lab lab) {
        long sum = 0;
        for (int s = 1; s <= lab.spec().sites(); s++) {
            sum += lab.nodeStatus(s).map(st -> st.frames().arpRequestsFromPort()).orElse(0L);
        }
        return sum;
    }
}
