package io.ringswitch.topology;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The leak watch on a full-tunnel site's uplink (issue 17): tcpdump on the underlay bridge's side of
 * the site's {@code wan0}, for frames that left the site only ({@code -Q in} there), keeping every
 * frame that is neither the node's own underlay traffic (UDP or TCP to or from its address and ring
 * port) nor ARP; afterwards each kept frame is a leak, counted by kind.
 */
public final class UplinkLeaks implements AutoCloseable {
    private static final int ETH_HEADER = 14;
    private static final int DNS_PORT = 53;

    /** Leaks by kind: IPv4 (not DNS), IPv6 (not DNS), DNS over either, anything else (other EtherTypes). */
    public record Count(long ipv4, long ipv6, long dns, long other, long kernelDrops) {
        public long total() {
            return ipv4 + ipv6 + dns + other;
        }
    }

    private final Tcpdump dump;

    private UplinkLeaks(Tcpdump dump) {
        this.dump = dump;
    }

    /** The pcap-filter(7) expression of what is not a leak: the node's own traffic on its port, and ARP. */
    static String allowed(String nodeIp, int nodePort) {
        return "arp or ((udp or tcp) and host " + nodeIp + " and port " + nodePort + ")";
    }

    /** Starts watching the uplink of {@code site}; its capture goes to {@code file}. */
    public static UplinkLeaks start(LabSpec spec, int site, Path file) throws IOException, InterruptedException {
        return new UplinkLeaks(Tcpdump.start(spec.wanNamespace(), Underlay.wanPort(site), file, List.of("-Q", "in"),
                "not (" + allowed(spec.siteUnderlayIp(site), Lab.NODE_PORT) + ")"));
    }

    /** What leaked so far; the capture goes on. */
    public Count count() throws IOException {
        return classify(dump.file(), 0);
    }

    /** Stops the capture and counts what leaked. */
    public Count stop() throws IOException, InterruptedException {
        long drops = dump.stop();
        return classify(dump.file(), drops);
    }

    public Path file() {
        return dump.file();
    }

    /**
     * Counts the frames of a pcap file (tcpdump.org savefile format, Ethernet link type) by kind: the
     * EtherType (IEEE 802.3 §3.2.6: 0x0800 IPv4, 0x86dd IPv6), and DNS by UDP or TCP port 53 (RFC 1035
     * §4.2) behind an IPv4 header without options beyond its IHL, or an IPv6 header whose next header
     * is UDP or TCP.
     */
    static Count classify(Path file, long drops) throws IOException {
        byte[] data = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        if (data.length < PcapRecords.FILE_HEADER) {
            return new Count(0, 0, 0, 0, drops);
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt(0);
        if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
            in.order(ByteOrder.BIG_ENDIAN);
        }
        long ipv4 = 0;
        long ipv6 = 0;
        long dns = 0;
        long other = 0;
        PcapRecords records = new PcapRecords(data, in);
        while (records.next()) {
            int captured = records.captured();
            ByteBuffer frame = ByteBuffer.wrap(data, records.start(), captured).slice();
            int type = captured >= ETH_HEADER ? frame.getShort(12) & 0xffff : -1;
            if (type == 0x0800 && captured >= ETH_HEADER + 20
                    && isDns(frame, ETH_HEADER + (frame.get(ETH_HEADER) & 0x0f) * 4, frame.get(ETH_HEADER + 9))) {
                dns++;
            } else if (type == 0x0800) {
                ipv4++;
            } else if (type == 0x86dd && captured >= ETH_HEADER + 40 && isDns(frame, ETH_HEADER + 40, frame.get(ETH_HEADER + 6))) {
                dns++;
            } else if (type == 0x86dd) {
                ipv6++;
            } else {
                other++;
            }
        }
        return new Count(ipv4, ipv6, dns, other, drops);
    }

    private static boolean isDns(ByteBuffer frame, int l4, byte protocol) {
        if ((protocol != 6 && protocol != 17) || l4 + 4 > frame.limit()) {
            return false;
        }
        return (frame.getShort(l4) & 0xffff) == DNS_PORT || (frame.getShort(l4 + 2) & 0xffff) == DNS_PORT;
    }

    @Override
    public void close() throws InterruptedException {
        dump.close();
    }
}
