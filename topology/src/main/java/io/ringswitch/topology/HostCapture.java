package io.ringswitch.topology;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A filtered capture on one lab host's {@code eth0} that only counts: what a host that should see
 * none of some traffic (another host's DHCP exchange, a multicast group it did not join) saw of it.
 * tcpdump runs in promiscuous mode, so frames flooded to the host's port count even when the
 * host's own stack would drop them.
 */
final class HostCapture implements AutoCloseable {
    private final Tcpdump dump;
    private final String host;

    private HostCapture(Tcpdump dump, String host) {
        this.dump = dump;
        this.host = host;
    }

    /**
     * Starts tcpdump on host {@code (site, host)} with {@code filter} (pcap-filter(7)), writing
     * {@code name-sSITEhHOST.pcap} in the lab's run directory; returns once it listens.
     */
    static HostCapture start(Lab lab, int site, int host, String filter, String name) throws IOException, InterruptedException {
        String ns = lab.spec().hostNamespace(site, host);
        Path file = lab.runDir().resolve(name + "-s" + site + "h" + host + ".pcap");
        return new HostCapture(Tcpdump.start(ns, "eth0", file, filter), ns);
    }

    /** The host's namespace. */
    String host() {
        return host;
    }

    /** Stops the capture and returns the packets it holds. */
    long stopAndCount() throws IOException, InterruptedException {
        dump.stop();
        return PcapSearch.packets(dump.file());
    }

    @Override
    public void close() throws InterruptedException {
        dump.close();
    }
}
