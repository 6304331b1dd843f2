package io.ringswitch.topology.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;
import java.util.Optional;

/**
 * What one {@code bench --peers} run measured: the settings and one row per system, in the order
 * they ran, each with RingSwitch's ratio to it. {@link #toJson} is the {@code --json} output.
 *
 * @param seconds       length of each iperf3 run
 * @param pings         echo requests per RTT figure
 * @param udpTargetMbps the rate of the UDP run
 * @param systems       one row per system
 */
public record PeerReport(int seconds, int pings, int udpTargetMbps, List<PeerResult> systems) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** The report over {@code measured}, with RingSwitch's ratio to every other system that has figures. */
    public static PeerReport of(int seconds, int pings, int udpTargetMbps, List<PeerResult> measured) {
        Optional<PeerResult> ringswitch = measured.stream().filter(r -> r.id().equals(PeerCatalog.RINGSWITCH)).findFirst();
        List<PeerResult> rows = measured.stream()
                .map(r -> ringswitch.isEmpty() || r.id().equals(PeerCatalog.RINGSWITCH) ? r : r.withRatio(ratio(ringswitch.get(), r)))
                .toList();
        return new PeerReport(seconds, pings, udpTargetMbps, rows);
    }

    static PeerResult.Ratio ratio(PeerResult ringswitch, PeerResult peer) {
        return new PeerResult.Ratio(divide(ringswitch.tcpMbps(), peer.tcpMbps()), divide(ringswitch.tcp4Mbps(), peer.tcp4Mbps()),
                divide(ringswitch.rttMsAvg(), peer.rttMsAvg()), divide(ringswitch.cpuSecondsPerGbit(), peer.cpuSecondsPerGbit()));
    }

    private static Double divide(Double top, Double bottom) {
        if (top == null || bottom == null || bottom == 0 || top.isNaN() || bottom.isNaN()) {
            return null;
        }
        return top / bottom;
    }

    /** Whether RingSwitch itself was measured. */
    public boolean ringswitchMeasured() {
        return systems.stream().anyMatch(r -> r.id().equals(PeerCatalog.RINGSWITCH) && r.tcpMbps() != null);
    }

    /** One JSON object, property names in snake_case as the other commands print them. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report that Jackson cannot write: " + e.getMessage(), e);
        }
    }
}
