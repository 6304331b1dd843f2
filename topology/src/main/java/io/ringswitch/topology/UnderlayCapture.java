package io.ringswitch.topology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * The security demo's capture case: tcpdump on a site's underlay link and, as the control, on
 * the sending host, while a ping carrying a known pattern and an iperf3 run with a repeating
 * payload cross; then both captures are searched ({@link PcapSearch}). The underlay must hold
 * neither, the control both (or the search proves nothing).
 */
final class UnderlayCapture {
    private static final int CAPTURE_IPERF_SECONDS = 3;
    private static final String CAPTURE_IPERF_RATE = "100M";

    private UnderlayCapture() {
    }

    static SecurityTour.Capture run(Lab lab, int fromSite, int toSite, Consumer<String> progress)
            throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        List<String> problems = new ArrayList<>();
        Path dir = lab.runDir();
        String hostNs = spec.hostNamespace(fromSite, 1);
        String wanPort = Underlay.wanPort(fromSite);
        progress.accept("capture: tcpdump on " + wanPort + " in " + spec.wanNamespace() + " (site " + fromSite
                + "'s underlay link) and, as the control, on eth0 of " + hostNs);
        int sent = 0;
        int received = 0;
        double mbps = Double.NaN;
        SecurityTour.Scan underlay = null;
        SecurityTour.Scan control = null;
        try (Tcpdump wan = Tcpdump.start(spec.wanNamespace(), wanPort, dir.resolve("capture-underlay.pcap"));
             Tcpdump host = Tcpdump.start(hostNs, "eth0", dir.resolve("capture-host.pcap"))) {
            String hex = HexFormat.of().formatHex(SecurityTour.PATTERN.getBytes(StandardCharsets.US_ASCII));
            Shell.Result r = lab.exec(hostNs, Duration.ofSeconds(30), "ping", "-n", "-q", "-c", "5", "-i", "0.2", "-W", "2",
                    "-p", hex, "-s", "1000", spec.hostIp(toSite, 1));
            Ping ping = Ping.parse(r.output());
            sent = ping.sent();
            received = ping.received();
            progress.accept("capture: ping -p " + hex + " (\"" + SecurityTour.PATTERN + "\") -s 1000 " + spec.hostIp(fromSite, 1) + " -> "
                    + spec.hostIp(toSite, 1) + ": " + received + "/" + sent + " replies");
            try {
                mbps = lab.iperf(fromSite, 1, toSite, 1, CAPTURE_IPERF_SECONDS, "-b", CAPTURE_IPERF_RATE, "--repeating-payload");
                progress.accept(String.format("capture: iperf3 --repeating-payload at %s bit/s for %d s: %.1f Mbit/s",
                        CAPTURE_IPERF_RATE, CAPTURE_IPERF_SECONDS, mbps));
            } catch (IOException e) {
                problems.add("iperf3: " + e.getMessage());
            }
            Thread.sleep(500);
            long wanDrops = wan.stop();
            long hostDrops = host.stop();
            underlay = scan(spec.wanNamespace(), wanPort, wan.file(), wanDrops);
            control = scan(hostNs, "eth0", host.file(), hostDrops);
        }
        if (received == 0) {
            problems.add("no ping with the pattern came back: nothing to look for");
        }
        if (!(mbps > 0)) {
            problems.add("iperf3 moved no data: nothing to look for");
        }
        if (underlay.packets() == 0) {
            problems.add("the underlay capture is empty");
        }
        if (underlay.patternPackets() > 0) {
            problems.add("the ping pattern crossed the underlay in the clear in " + underlay.patternPackets() + " packet(s)");
        }
        if (underlay.markerPackets() > 0) {
            problems.add("iperf3's payload crossed the underlay in the clear in " + underlay.markerPackets() + " packet(s)");
        }
        if (control.patternPackets() == 0 || control.markerPackets() == 0) {
            problems.add("the control capture on the sending host did not find the pattern (" + control.patternPackets()
                    + " packets) and the marker (" + control.markerPackets() + " packets): the search cannot be trusted");
        }
        return new SecurityTour.Capture(problems.isEmpty(), List.copyOf(problems), spec.hostIp(fromSite, 1), spec.hostIp(toSite, 1), SecurityTour.PATTERN,
                SecurityTour.MARKER, sent, received, Double.isNaN(mbps) ? 0 : Math.round(mbps * 10) / 10.0, underlay, control);
    }

    private static SecurityTour.Scan scan(String namespace, String device, Path file, long drops) throws IOException {
        PcapSearch.Result r = PcapSearch.search(file, SecurityTour.REPEATS, List.of(SecurityTour.PATTERN, SecurityTour.MARKER));
        return new SecurityTour.Scan(namespace, device, r.packets(), r.bytes(), r.matching().get(0), r.matching().get(1), drops);
    }
}
