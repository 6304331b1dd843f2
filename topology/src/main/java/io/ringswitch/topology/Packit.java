package io.ringswitch.topology;

import java.util.List;

/**
 * Command lines for {@code packit} (Debian package packit), the frame injector the switch tour's
 * attacks use: it sets every Ethernet and ARP field it is given and sends through a packet socket,
 * past the host's own stack. Run in a host's namespace on its {@code eth0}.
 */
public final class Packit {
    /** The lab hosts' subnet broadcast (10.77.0.0/16, {@link LabSpec#HOST_SUBNET}). */
    static final String SUBNET_BROADCAST = "10.77.255.255";
    private static final String BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";
    private static final String ZERO_MAC = "00:00:00:00:00:00";

    private Packit() {
    }

    /** Whether packit is installed ({@code ./ringswitch} installs it with the other lab tools). */
    public static boolean installed() {
        return Preflight.onPath("packit");
    }

    /**
     * {@code count} gratuitous ARP packets, one a second, broadcast from {@code senderMac}, that say
     * {@code ip} is at {@code senderMac} (RFC 5227 §3 "ARP announcement" when {@code reply} is
     * false: a request with sender and target address both {@code ip}; an unsolicited reply when true).
     */
    static List<String> gratuitousArp(String senderMac, String ip, boolean reply, int count) {
        return List.of("packit", "-t", "ARP", "-i", "eth0", "-A", reply ? "2" : "1", "-x", ip, "-X", senderMac, "-y", ip,
                "-Y", reply ? BROADCAST_MAC : ZERO_MAC, "-e", senderMac, "-E", BROADCAST_MAC, "-c", Integer.toString(count),
                "-b", "1");
    }

    /** One ARP request (RFC 826), broadcast from {@code senderMac} at {@code senderIp}, for {@code targetIp}. */
    public static List<String> arpRequest(String senderMac, String senderIp, String targetIp) {
        return List.of("packit", "-t", "ARP", "-i", "eth0", "-A", "1", "-x", senderIp, "-X", senderMac, "-y", targetIp,
                "-Y", ZERO_MAC, "-e", senderMac, "-E", BROADCAST_MAC, "-c", "1");
    }

    /**
     * Minimum-size UDP datagrams (port 9, discard) to the subnet broadcast, from the host's own MAC and
     * address, without end and without pause: a broadcast storm that port security lets through,
     * so that only storm control can stop it. Bound it with {@code timeout}.
     */
    static List<String> broadcastFlood(String sourceMac, String sourceIp) {
        return List.of("packit", "-t", "UDP", "-i", "eth0", "-e", sourceMac, "-E", BROADCAST_MAC, "-s", sourceIp, "-d",
                SUBNET_BROADCAST, "-S", "9", "-D", "9", "-c", "0", "-b", "1000", "-w", "0");
    }
}
