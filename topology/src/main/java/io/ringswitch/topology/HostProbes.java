package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the lab's hosts see: commands run in its namespaces, pings, neighbour tables and iperf3. */
final class HostProbes {
    private static final Duration CMD = Duration.ofSeconds(30);
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");

    private final LabSpec spec;
    private final IntFunction<Path> siteDir;

    HostProbes(LabSpec spec, IntFunction<Path> siteDir) {
        this.spec = spec;
        this.siteDir = siteDir;
    }

    Shell.Result exec(String namespace, Duration limit, String... command) throws IOException {
        return Shell.run(limit, Shell.inNetns(namespace, command));
    }

    Ping ping(int fromSite, int fromHost, int toSite, int toHost, int count, double interval) throws IOException {
        // A deadline, so that a late reply (a first frame that waited for a hop) still counts.
        long deadline = (long) Math.ceil(count * interval) + 3;
        Shell.Result r = exec(spec.hostNamespace(fromSite, fromHost), Duration.ofSeconds(30 + deadline),
                "ping", "-n", "-c", Integer.toString(count), "-i", Double.toString(interval), "-W", "2",
                "-w", Long.toString(deadline), spec.hostIp(toSite, toHost));
        return Ping.ofReplies(r.output(), count);
    }

    Optional<String> neighbourMac(int fromSite, int fromHost, int toSite, int toHost) throws IOException {
        Shell.Result r = exec(spec.hostNamespace(fromSite, fromHost), CMD, "ip", "neigh", "show", spec.hostIp(toSite, toHost));
        Matcher m = LLADDR.matcher(r.output());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    double iperf(int fromSite, int fromHost, int toSite, int toHost, int seconds, String... clientOptions)
            throws IOException, InterruptedException {
        return Iperf.measure(this::exec, spec.hostNamespace(toSite, toHost), spec.hostIp(toSite, toHost),
                spec.hostNamespace(fromSite, fromHost), seconds, siteDir.apply(toSite), clientOptions);
    }
}
