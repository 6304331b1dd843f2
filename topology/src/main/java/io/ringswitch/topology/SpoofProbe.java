package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Port security under attack (issue 16: "a host that sends from another host's MAC or address, or
 * sends a gratuitous ARP for it, is dropped and counted, and the victim keeps answering every
 * site"). The victim is host 1 of site 1 with its static address; the attacker is host 2 of
 * site 2. Three cases, each followed by pings to the victim from host 1 of every other site:
 * <ol>
 *   <li>{@code gratuitous-arp}: the attacker announces the victim's address as its own (ARP
 *   requests and replies, {@link Packit#gratuitousArp}); a prober that already knew the victim
 *   then pings it and must still map it to the victim's MAC;</li>
 *   <li>{@code mac-spoof}: the attacker takes the victim's MAC and sends from it (ARP and pings to
 *   the prober) while the prober pings the victim 20 times;</li>
 *   <li>{@code stolen-address}: the attacker adds the victim's address and pings from it; no reply
 *   may reach it.</li>
 * </ol>
 * Whatever a case changes on the attacker (MAC, address) is put back, also when it fails.
 */
final class SpoofProbe {
    private static final Duration CMD = Duration.ofSeconds(30);
    private static final int ATTACKER_SITE = 2;
    private static final int ATTACKER_HOST = 2;

    /**
     * One case.
     *
     * @param attackerFrames  frames the attacker's eth0 sent during the attack
     * @param probe           the check's ping, from where to where
     * @param probePing       what it got
     * @param neighbourMac    the MAC the prober maps the victim's address to afterwards (gratuitous ARP only)
     * @param victimFromSites pings to the victim from host 1 of each other site, after the attack
     * @param spoofDropped    the switches' spoofed-frame drops during the case (all sites), null if not reported
     * @param addressConflicts the switches' address conflicts during the case, null if not reported
     */
    record Case(String name, String attack, long attackerFrames, String probe, Ping probePing, String neighbourMac,
                Map<Integer, Ping> victimFromSites, Long spoofDropped, Long addressConflicts, List<String> problems) {
        boolean victimAnswersEverySite() {
            return !victimFromSites.isEmpty() && victimFromSites.values().stream().allMatch(Ping::lossless);
        }

        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("attack", attack);
            out.put("attacker_frames_sent", attackerFrames);
            out.put("probe", probe);
            out.put("probe_sent", probePing.sent());
            out.put("probe_received", probePing.received());
            if (neighbourMac != null) {
                out.put("prober_maps_victim_to", neighbourMac);
            }
            Map<String, Object> reach = new LinkedHashMap<>();
            victimFromSites.forEach((s, p) -> reach.put(Integer.toString(s), p.received() + "/" + p.sent()));
            out.put("victim_pinged_from_sites", reach);
            out.put("victim_answers_every_site", victimAnswersEverySite());
            out.put("spoof_dropped_delta", spoofDropped);
            out.put("address_conflicts_delta", addressConflicts);
            out.put("ok", problems.isEmpty());
            out.put("problems", problems);
            return out;
        }
    }

    /** The cases, or why they did not run. */
    record Report(String victim, String victimIp, String victimMac, String attacker, String attackerMac, List<Case> cases,
                  String skipped) {
        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (skipped != null) {
                out.put("skipped", skipped);
                return out;
            }
            out.put("victim", Map.of("host", victim, "ip", victimIp, "mac", victimMac));
            out.put("attacker", Map.of("host", attacker, "mac", attackerMac));
            Map<String, Object> cs = new LinkedHashMap<>();
            cases.forEach(c -> cs.put(c.name(), c.toJson()));
            out.put("cases", cs);
            return out;
        }
    }

    private final Lab lab;
    private final LabSpec spec;
    private final Consumer<String> progress;
    private final String victimIp;
    private final String victimMac;
    private final String attackerNs;
    private final String attackerMac;
    /** Host 1 of a third site, or, in a two-site lab, the victim's neighbour at site 1. */
    private final int[] prober;

    private SpoofProbe(Lab lab, Consumer<String> progress) {
        this.lab = lab;
        this.spec = lab.spec();
        this.progress = progress;
        this.victimIp = spec.hostIp(1, 1);
        this.victimMac = spec.hostMac(1, 1);
        this.attackerNs = spec.hostNamespace(ATTACKER_SITE, ATTACKER_HOST);
        this.attackerMac = spec.hostMac(ATTACKER_SITE, ATTACKER_HOST);
        this.prober = spec.sites() >= 3 ? new int[] {3, 1} : new int[] {1, 2};
    }

    /** Runs the three cases when the lab has two sites with two hosts each; each case's problems also go to {@code problems}. */
    static Report run(Lab lab, Consumer<String> progress, List<String> problems) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        if (spec.sites() < 2 || spec.hostsPerSite() < 2) {
            return new Report(null, null, null, null, null, List.of(), "needs two sites with two hosts each");
        }
        if (!Packit.installed()) {
            problems.add("spoofing: packit not found (./ringswitch installs it)");
            return new Report(null, null, null, null, null, List.of(), "packit not found");
        }
        SpoofProbe probe = new SpoofProbe(lab, progress);
        List<Case> cases = new ArrayList<>();
        try {
            cases.add(probe.gratuitousArp());
            cases.add(probe.macSpoof());
            cases.add(probe.stolenAddress());
        } finally {
            probe.forgetVictimEverywhere();
        }
        cases.forEach(c -> c.problems().forEach(p -> problems.add("spoofing, " + c.name() + ": " + p)));
        return new Report(spec.hostNamespace(1, 1), probe.victimIp, probe.victimMac, probe.attackerNs, probe.attackerMac,
                List.copyOf(cases), null);
    }

    private Case gratuitousArp() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        Ping warm = lab.ping(prober[0], prober[1], 1, 1, 2, 0.2);
        if (warm.received() == 0) {
            problems.add("the prober " + proberName() + " could not reach the victim before the attack");
        }
        Measure m = start();
        for (boolean reply : new boolean[] {false, true}) {
            Shell.Result r = lab.exec(attackerNs, CMD, Packit.gratuitousArp(attackerMac, victimIp, reply, 5).toArray(String[]::new));
            if (!r.ok()) {
                problems.add("packit failed (exit " + r.exitCode() + "): " + r.output().trim());
            }
        }
        long frames = framesSince(m);
        Ping probe = lab.ping(prober[0], prober[1], 1, 1, 5, 0.2);
        Optional<String> mac = lab.neighbourMac(prober[0], prober[1], 1, 1);
        progress.accept("spoofing, gratuitous ARP: " + attackerNs + " announced " + victimIp + " at " + attackerMac + " ("
                + frames + " frames); " + proberName() + " -> " + victimIp + ": " + probe.received() + "/" + probe.sent()
                + ", maps it to " + mac.orElse("nothing"));
        if (!probe.lossless()) {
            problems.add(proberName() + " lost " + (probe.sent() - probe.received()) + " of " + probe.sent() + " pings to the victim");
        }
        if (mac.isEmpty() || !mac.get().equals(victimMac)) {
            problems.add(proberName() + " maps " + victimIp + " to " + mac.orElse("nothing") + ", not the victim's " + victimMac
                    + (mac.isPresent() && mac.get().equals(attackerMac) ? " (the attacker's)" : ""));
        }
        return finish("gratuitous-arp", "5 ARP announcements and 5 unsolicited replies: " + victimIp + " is at " + attackerMac,
                m, frames, proberName() + " -> " + victimIp, probe, mac.orElse("none"), problems);
    }

    private Case macSpoof() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        String proberIp = spec.hostIp(prober[0], prober[1]);
        int[] victimProber = spec.sites() >= 3 ? prober : new int[] {2, 1};
        Measure m = start();
        Ping probe;
        long frames;
        Process sender = null;
        try {
            sh(attackerNs, "ip", "neigh", "flush", "dev", "eth0");
            sh(attackerNs, "ip", "link", "set", "dev", "eth0", "address", victimMac);
            Path log = lab.siteDir(ATTACKER_SITE).resolve("spoof-mac-ping.log");
            sender = new ProcessBuilder(Shell.inNetns(attackerNs, "ping", "-n", "-q", "-c", "50", "-i", "0.1", "-W", "1", proberIp))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Thread.sleep(300);
            probe = lab.ping(victimProber[0], victimProber[1], 1, 1, 20, 0.2);
            sender.waitFor(15, TimeUnit.SECONDS);
        } finally {
            if (sender != null) {
                sender.destroy();
                sender.waitFor(5, TimeUnit.SECONDS);
            }
            sh(attackerNs, "ip", "link", "set", "dev", "eth0", "address", attackerMac);
            sh(attackerNs, "ip", "neigh", "flush", "dev", "eth0");
            frames = framesSince(m);
        }
        String from = spec.hostNamespace(victimProber[0], victimProber[1]);
        progress.accept("spoofing, MAC: " + attackerNs + " sent " + frames + " frames from " + victimMac + "; " + from + " -> "
                + victimIp + ": " + probe.received() + "/" + probe.sent());
        if (probe.sent() - probe.received() >= 1 || probe.sent() == 0) {
            problems.add(from + " lost " + (probe.sent() - probe.received()) + " of " + probe.sent() + " pings to the victim");
        }
        return finish("mac-spoof", "eth0 set to the victim's MAC " + victimMac + ", pinging " + proberIp + " at 0.1 s",
                m, frames, from + " -> " + victimIp, probe, null, problems);
    }

    private Case stolenAddress() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        String target = spec.hostIp(prober[0], prober[1]);
        Measure m = start();
        Ping probe;
        long frames;
        try {
            sh(attackerNs, "ip", "addr", "add", victimIp + "/16", "dev", "eth0");
            probe = Ping.parse(lab.exec(attackerNs, CMD, "ping", "-n", "-q", "-c", "5", "-i", "0.2", "-W", "2", "-I", victimIp,
                    target).output());
        } finally {
            lab.exec(attackerNs, CMD, "ip", "addr", "del", victimIp + "/16", "dev", "eth0");
            frames = framesSince(m);
        }
        progress.accept("spoofing, stolen address: " + attackerNs + " pinged " + target + " from " + victimIp + ": "
                + probe.received() + "/" + probe.sent() + " replies reached it");
        if (probe.sent() == 0) {
            problems.add("the attacker's ping did not run");
        }
        if (probe.received() > 0) {
            problems.add(probe.received() + " of " + probe.sent() + " replies to the stolen address reached the attacker");
        }
        return finish("stolen-address", "the victim's address " + victimIp + " added to eth0, ping -I " + victimIp + " " + target,
                m, frames, attackerNs + " (as " + victimIp + ") -> " + target, probe, null, problems);
    }

    /** Pings the victim from every other site, reads the counters, and makes the case. */
    private Case finish(String name, String attack, Measure m, long frames, String probe, Ping probePing, String mac,
                        List<String> problems) throws IOException, InterruptedException {
        Map<Integer, Ping> reach = new LinkedHashMap<>();
        for (int s = 2; s <= spec.sites(); s++) {
            Ping p = lab.ping(s, 1, 1, 1, 3, 0.2);
            reach.put(s, p);
            if (!p.lossless()) {
                problems.add("the victim answered " + p.received() + "/" + p.sent() + " pings from site " + s);
            }
        }
        if (frames == 0) {
            problems.add("the attacker sent no frame: nothing was tested");
        }
        if (!m.counters().isEmpty()) {
            // Status files are rewritten about once a second.
            Thread.sleep(1200);
        }
        Map<String, Long> after = SwitchCounters.total(lab);
        Long spoof = SwitchCounters.delta(SwitchCounters.SPOOF_DROPPED, m.counters(), after);
        Long conflicts = SwitchCounters.delta(SwitchCounters.ADDRESS_CONFLICTS, m.counters(), after);
        if (spoof != null && conflicts != null && spoof + conflicts == 0) {
            problems.add("the switches counted neither a spoofed frame nor an address conflict");
        }
        return new Case(name, attack, frames, probe, probePing, mac, reach, spoof, conflicts, List.copyOf(problems));
    }

    /** The attacker's transmit counter and the switch counters at the start of a case. */
    private record Measure(long txBefore, Map<String, Long> counters) {
    }

    private Measure start() throws IOException {
        return new Measure(TxCounter.read(lab, ATTACKER_SITE, ATTACKER_HOST), SwitchCounters.total(lab));
    }

    /** Frames the attacker sent since {@code m}. */
    private long framesSince(Measure m) throws IOException {
        return TxCounter.read(lab, ATTACKER_SITE, ATTACKER_HOST) - m.txBefore();
    }

    /** Drops every host's neighbour entry for the victim, so that a poisoned cache outlives no case. */
    private void forgetVictimEverywhere() throws IOException {
        for (int s = 1; s <= spec.sites(); s++) {
            for (int h = 1; h <= spec.hostsPerSite(); h++) {
                if (s != 1 || h != 1) {
                    lab.exec(spec.hostNamespace(s, h), CMD, "ip", "neigh", "del", victimIp, "dev", "eth0");
                }
            }
        }
    }

    private String proberName() {
        return spec.hostNamespace(prober[0], prober[1]);
    }

    private void sh(String ns, String... command) throws IOException {
        lab.exec(ns, CMD, command).orThrow();
    }
}
