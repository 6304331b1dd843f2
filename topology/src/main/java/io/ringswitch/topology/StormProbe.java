package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Storm control (issue 16: "a host flooding broadcast frames for 5 s leaves pings between the
 * other sites under 1 % loss"): host 1 of site 2 sends minimum-size broadcast frames as fast as it
 * can for {@value #SECONDS} s ({@link Packit#broadcastFlood}, from its own MAC and address so that
 * port security lets them in and only the storm meters stand in the way) while host 1 of site 1
 * pings host 1 of a third site {@value #PINGS} times at 0.1 s. The flood runs at the lowest CPU
 * priority: on a lab machine the attacker shares the CPU with the switches it attacks, which a
 * real host on its own port does not.
 */
final class StormProbe {
    static final int SECONDS = 5;
    static final int PINGS = 50;
    static final double MAX_LOSS_PERCENT = 1.0;
    /** Fewer frames than this in the whole storm and the run proves nothing. */
    private static final long AT_LEAST_FRAMES = 1000;
    private static final int STORM_SITE = 2;

    /**
     * What the storm did.
     *
     * @param framesSent   frames the storm host's eth0 sent during the storm
     * @param stormDropped the switches' storm-control drops during the run (all sites), null if not reported
     */
    record Report(String stormHost, long framesSent, String pingFrom, String pingTo, Ping ping, Long stormDropped,
                  String skipped) {
        double lossPercent() {
            return ping.sent() == 0 ? 100 : (ping.sent() - ping.received()) * 100.0 / ping.sent();
        }

        Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (skipped != null) {
                out.put("skipped", skipped);
                return out;
            }
            out.put("storm_host", stormHost);
            out.put("seconds", SECONDS);
            out.put("frames_sent", framesSent);
            out.put("frames_per_second", framesSent / SECONDS);
            out.put("ping_from", pingFrom);
            out.put("ping_to", pingTo);
            out.put("ping_sent", ping.sent());
            out.put("ping_received", ping.received());
            out.put("loss_percent", Math.round(lossPercent() * 100) / 100.0);
            out.put("rtt_ms_avg", Double.isNaN(ping.rttAvgMs()) ? null : Math.round(ping.rttAvgMs() * 1000) / 1000.0);
            out.put("max_loss_percent_allowed", MAX_LOSS_PERCENT);
            out.put("storm_dropped_delta", stormDropped);
            return out;
        }
    }

    private StormProbe() {
    }

    /** The storm, when the lab has three sites; its failures go to {@code problems}. */
    static Report run(Lab lab, Consumer<String> progress, List<String> problems) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        if (spec.sites() < 3) {
            return new Report(null, 0, null, null, new Ping(0, 0, Double.NaN), null, "needs three sites");
        }
        if (!Packit.installed()) {
            problems.add("storm: packit not found (./ringswitch installs it)");
            return new Report(null, 0, null, null, new Ping(0, 0, Double.NaN), null, "packit not found");
        }
        int target = spec.sites() / 2 + 1 == STORM_SITE ? 3 : spec.sites() / 2 + 1;
        String stormNs = spec.hostNamespace(STORM_SITE, 1);
        Map<String, Long> before = SwitchCounters.total(lab);
        long txBefore = TxCounter.read(lab, STORM_SITE, 1);
        List<String> command = new ArrayList<>(List.of("timeout", Integer.toString(SECONDS), "nice", "-n", "19"));
        command.addAll(Packit.broadcastFlood(spec.hostMac(STORM_SITE, 1), spec.hostIp(STORM_SITE, 1)));
        Path log = lab.siteDir(STORM_SITE).resolve("storm-packit.log");
        progress.accept("storm: " + stormNs + " floods broadcast frames for " + SECONDS + " s while " + spec.hostIp(1, 1)
                + " pings " + spec.hostIp(target, 1) + " " + PINGS + " times at 0.1 s");
        Process storm = new ProcessBuilder(Shell.inNetns(stormNs, command.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Ping ping;
        try {
            Thread.sleep(200);
            ping = lab.ping(1, 1, target, 1, PINGS, 0.1);
            storm.waitFor(SECONDS + 10L, TimeUnit.SECONDS);
        } finally {
            storm.descendants().forEach(ProcessHandle::destroy);
            storm.destroy();
            storm.waitFor(5, TimeUnit.SECONDS);
        }
        long frames = TxCounter.read(lab, STORM_SITE, 1) - txBefore;
        if (!before.isEmpty()) {
            // Status files are rewritten about once a second.
            Thread.sleep(1200);
        }
        Long dropped = SwitchCounters.delta(SwitchCounters.STORM_DROPPED, before, SwitchCounters.total(lab));
        Report r = new Report(stormNs, frames, spec.hostNamespace(1, 1), spec.hostNamespace(target, 1), ping, dropped, null);
        progress.accept(String.format("storm: %d frames (%d/s); ping %s -> %s during it: %d/%d (%.1f %% loss); storm drops: %s",
                frames, frames / SECONDS, spec.hostIp(1, 1), spec.hostIp(target, 1), ping.received(), ping.sent(),
                r.lossPercent(), dropped == null ? "not reported" : dropped));
        if (frames < AT_LEAST_FRAMES) {
            problems.add("storm: " + stormNs + " sent only " + frames + " frames (see " + log + "): nothing was tested");
        }
        if (r.lossPercent() >= MAX_LOSS_PERCENT) {
            problems.add(String.format("storm: ping %s -> %s lost %d of %d (%.1f %%) while %s flooded", spec.hostIp(1, 1),
                    spec.hostIp(target, 1), ping.sent() - ping.received(), ping.sent(), r.lossPercent(), stormNs));
        }
        return r;
    }
}
