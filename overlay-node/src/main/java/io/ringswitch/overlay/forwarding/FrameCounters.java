package io.ringswitch.overlay.forwarding;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.MetricsSnapshot;
import io.ringswitch.overlay.metrics.NodeMetrics;
import java.util.List;

/**
 * What the frame forwarder counted, as data points of the node's registry (issue 20): frames read
 * from and written to the overlay port, frames sent over a direct link or flooded
 * ({@code ringswitch_frames_total{direction="out",path}}), super-frames, packets too big for the
 * overlay, and frames refused ({@code ringswitch_refused_total{layer="frames"}}). The forwarder
 * increments the fields (one {@code LongAdder.add} per frame); the status reads a scrape through
 * {@link #stats}.
 */
final class FrameCounters {
    private static final String PORT = "ringswitch_port_frames_total";
    private static final String PORT_HELP = "Frames read from and written to the overlay port.";
    private static final String SUPER = "ringswitch_super_frames_total";
    private static final String SUPER_HELP = "TCP super-frames from the overlay port: read, cut to a smaller segment size, or not cut.";
    private static final String LOOKUPS = "ringswitch_directory_lookups_total";
    private static final String LOOKUPS_HELP = "Lookups of unknown destination MACs in the DHT, asked and found.";
    static final CounterKey FROM_PORT = CounterKey.of(PORT, PORT_HELP, "direction", "read");
    static final CounterKey TO_PORT = CounterKey.of(PORT, PORT_HELP, "direction", "written");
    static final CounterKey DIRECT = Metrics.frames("out", "direct");
    static final CounterKey FLOODS = Metrics.frames("out", "flood");
    static final CounterKey SUPER_FRAMES = CounterKey.of(SUPER, SUPER_HELP, "event", "read");
    static final CounterKey RECUT = CounterKey.of(SUPER, SUPER_HELP, "event", "recut");
    static final CounterKey UNSEGMENTABLE = CounterKey.of(SUPER, SUPER_HELP, "event", "unsegmentable");
    static final CounterKey OVERSIZED_REFUSED = new CounterKey("ringswitch_oversized_refused_total",
            "IP frames larger than the overlay carries that reached the node and were dropped (the controller answers "
                    + "them with ICMP; 0 while it works).", List.of(), List.of());
    static final CounterKey UNSWITCHED_TOO_BIG_ANSWERED = new CounterKey("ringswitch_unswitched_too_big_answered_total",
            "Oversized UDP/ICMP that reached the node without the switch's size check (full-tunnel steering), "
                    + "answered by the node with ICMP \"fragmentation needed\" or ICMPv6 \"packet too big\".",
            List.of(), List.of());
    static final CounterKey TCP_TOO_BIG_ANSWERED = new CounterKey("ringswitch_tcp_too_big_answered_total",
            "Plain (not GSO) TCP segments larger than the overlay carries, answered by the node with ICMP "
                    + "\"fragmentation needed\" or ICMPv6 \"packet too big\" (the controller answers UDP and ICMP).",
            List.of(), List.of());
    static final CounterKey PORT_WRITE_DROPS = new CounterKey("ringswitch_port_write_drops_total",
            "Frames the overlay port's writes refused.", List.of(), List.of());
    static final CounterKey ARP_REQUESTS_FROM_PORT = new CounterKey("ringswitch_port_arp_requests_total",
            "ARP requests the bridge handed the overlay port.", List.of(), List.of());
    static final CounterKey RUNTS = CounterKey.refused("frames", "runt");
    static final CounterKey GROUP_SOURCE = CounterKey.refused("frames", "group-source");
    static final CounterKey ARP_MALFORMED = CounterKey.refused("frames", "arp-malformed");
    static final CounterKey LOOKUPS_ASKED = CounterKey.of(LOOKUPS, LOOKUPS_HELP, "outcome", "asked");
    static final CounterKey LOOKUPS_FOUND = CounterKey.of(LOOKUPS, LOOKUPS_HELP, "outcome", "found");

    final CounterDataPoint framesFromPort;
    final CounterDataPoint framesToPort;
    final CounterDataPoint direct;
    final CounterDataPoint floods;
    final CounterDataPoint superFrames;
    final CounterDataPoint resized;
    final CounterDataPoint unsegmentable;
    final CounterDataPoint oversizedRefused;
    final CounterDataPoint tcpTooBigAnswered;
    final CounterDataPoint unswitchedTooBigAnswered;
    final CounterDataPoint portWriteDrops;
    final CounterDataPoint arpRequestsFromPort;
    final CounterDataPoint runtFrames;
    final CounterDataPoint groupSource;
    final CounterDataPoint arpMalformed;
    final CounterDataPoint directoryLookups;
    final CounterDataPoint directoryFound;

    FrameCounters(NodeMetrics metrics) {
        framesFromPort = FROM_PORT.in(metrics);
        framesToPort = TO_PORT.in(metrics);
        direct = DIRECT.in(metrics);
        floods = FLOODS.in(metrics);
        superFrames = SUPER_FRAMES.in(metrics);
        resized = RECUT.in(metrics);
        unsegmentable = UNSEGMENTABLE.in(metrics);
        oversizedRefused = OVERSIZED_REFUSED.in(metrics);
        tcpTooBigAnswered = TCP_TOO_BIG_ANSWERED.in(metrics);
        unswitchedTooBigAnswered = UNSWITCHED_TOO_BIG_ANSWERED.in(metrics);
        portWriteDrops = PORT_WRITE_DROPS.in(metrics);
        arpRequestsFromPort = ARP_REQUESTS_FROM_PORT.in(metrics);
        runtFrames = RUNTS.in(metrics);
        groupSource = GROUP_SOURCE.in(metrics);
        arpMalformed = ARP_MALFORMED.in(metrics);
        directoryLookups = LOOKUPS_ASKED.in(metrics);
        directoryFound = LOOKUPS_FOUND.in(metrics);
    }

    /** The status file's frame section, from a scrape of the node's registry. */
    static NodeStatus.FrameStats stats(MetricsSnapshot s) {
        return new NodeStatus.FrameStats(s.get(FROM_PORT), s.get(TO_PORT), s.get(DIRECT), s.get(SUPER_FRAMES),
                s.get(UNSEGMENTABLE), s.get(FLOODS), s.get(PORT_WRITE_DROPS), s.get(RUNTS), s.get(GROUP_SOURCE),
                s.get(TCP_TOO_BIG_ANSWERED), s.get(OVERSIZED_REFUSED), s.get(RECUT), s.get(ARP_MALFORMED),
                s.get(ARP_REQUESTS_FROM_PORT), s.get(UNSWITCHED_TOO_BIG_ANSWERED));
    }
}
