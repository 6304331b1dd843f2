package io.ringswitch.topology;

import java.io.IOException;
import java.time.Duration;

/**
 * Frames a lab host's {@code eth0} transmitted, from the kernel's interface statistics: how many
 * frames an attacker or a storm really put on the wire, whichever tool sent them.
 */
final class TxCounter {
    private TxCounter() {
    }

    /** The host's {@code tx_packets} now ({@code ip netns exec} mounts the namespace's own sysfs). */
    static long read(Lab lab, int site, int host) throws IOException {
        return parse(lab.exec(lab.spec().hostNamespace(site, host), Duration.ofSeconds(10), "cat",
                "/sys/class/net/eth0/statistics/tx_packets").orThrow().output());
    }

    /** A sysfs counter file's content: one decimal number and a newline. */
    static long parse(String text) throws IOException {
        String t = text.trim();
        if (!t.matches("\\d{1,19}")) {
            throw new IOException("not an interface counter: '" + t + "'");
        }
        return Long.parseLong(t);
    }
}
