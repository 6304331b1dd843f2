package io.ringswitch.topology.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code bench --peers}: what was measured of one system, and why it stopped if it did.
 * A figure that was not measured is null (never NaN, which JSON cannot carry).
 *
 * @param id              the name {@code --only} takes
 * @param label           the name in the table
 * @param error           why the system could not be measured (fully), or null
 * @param tcpMbps         iperf3 TCP, one stream, Mbit/s received
 * @param tcp4Mbps        iperf3 TCP, four streams ({@code -P 4}), Mbit/s received
 * @param rttMsAvg        average ping round trip after the TCP runs, ms
 * @param pingSent        echo requests sent for {@code rttMsAvg}
 * @param pingReceived    echo replies received
 * @param udp             the UDP run at a fixed rate
 * @param cpuSeconds      CPU time of the system's daemons (all threads, user and system) over the one-stream TCP
 *                        run; null for a system without daemons (a bare link: the kernel's work is nobody's)
 * @param cpuSecondsPerGbit {@code cpuSeconds} per Gbit that run carried: also cores kept busy per Gbit/s
 * @param rssKb           VmRSS after the load, summed over the system's daemons on each side ({@code a}, {@code b})
 * @param daemons         each daemon's VmRSS
 * @param ringswitchRatio RingSwitch's figures divided by this system's
 */
@JsonPropertyOrder({"id", "label", "ok", "error"})
public record PeerResult(String id, String label, String error, Double tcpMbps, Double tcp4Mbps, Double rttMsAvg,
                         Integer pingSent, Integer pingReceived, Udp udp, Double cpuSeconds, Double cpuSecondsPerGbit,
                         Map<String, Long> rssKb, List<DaemonMemory> daemons, Ratio ringswitchRatio) {

    /**
     * iperf3 UDP at a fixed sending rate.
     *
     * @param targetMbps  the rate asked for ({@code -b})
     * @param mbps        what the server received, Mbit/s
     * @param lossPercent datagrams lost, as the server counted them
     * @param jitterMs    the server's jitter estimate
     */
    public record Udp(int targetMbps, double mbps, double lossPercent, double jitterMs) {
    }

    /** The resident memory of one daemon after the load. */
    public record DaemonMemory(String side, String process, long pid, long rssKb) {
    }

    /**
     * RingSwitch divided by this system: above 1 means RingSwitch has more throughput (tcp, tcp4),
     * a longer round trip (rtt) or spends more CPU per Gbit (cpu). Null where either figure is missing.
     */
    public record Ratio(Double tcp, Double tcp4, Double rtt, Double cpu) {
    }

    /** A row with nothing measured. */
    public static PeerResult failed(String id, String label, String error) {
        return new PeerResult(id, label, error, null, null, null, null, null, null, null, null, Map.of(), List.of(), null);
    }

    @JsonProperty("ok")
    public boolean ok() {
        return error == null;
    }

    public PeerResult withError(String why) {
        return new PeerResult(id, label, why, tcpMbps, tcp4Mbps, rttMsAvg, pingSent, pingReceived, udp, cpuSeconds,
                cpuSecondsPerGbit, rssKb, daemons, ringswitchRatio);
    }

    public PeerResult withRatio(Ratio ratio) {
        return new PeerResult(id, label, error, tcpMbps, tcp4Mbps, rttMsAvg, pingSent, pingReceived, udp, cpuSeconds,
                cpuSecondsPerGbit, rssKb, daemons, ratio);
    }
}
