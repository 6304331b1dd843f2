package io.ringswitch.controller.dhcp;

import io.ringswitch.controller.api.DhcpStats;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Addresses of the DHCP pool found in use by a host that did not lease them (or declined by a
 * client): counted, the last {@value #KEPT} kept for the status, each logged. Also remembers which
 * (address, MAC) pairs were checked against the pool lately, so that a host's every ARP does not
 * ask the DHT again.
 */
final class LeaseConflicts {
    private static final Logger log = LoggerFactory.getLogger(LeaseConflicts.class);
    static final int KEPT = 16;
    static final long RECHECK_MILLIS = 60_000;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    private final LongSupplier clock;
    private final ArrayDeque<DhcpStats.Conflict> recent = new ArrayDeque<>();
    private final Map<Long, Long> checked = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
            return size() > 1024;
        }
    };
    private long count;

    LeaseConflicts(LongSupplier clock) {
        this.clock = clock;
    }

    void report(int ip, byte[] mac, String leasedTo, String what) {
        count++;
        DhcpStats.Conflict c = new DhcpStats.Conflict(DhcpFrames.format(ip), HEX.formatHex(mac), leasedTo, what,
                clock.getAsLong());
        if (recent.size() == KEPT) {
            recent.removeFirst();
        }
        recent.addLast(c);
        log.warn("address conflict on {}: {} ({}{})", c.ip(), c.mac(), what, leasedTo == null ? "" : "; leased to " + leasedTo);
    }

    /** Whether this host's claim to {@code ip} was checked within the last minute; notes it checked now if not. */
    boolean checkedLately(int ip, byte[] mac) {
        long key = (ip & 0xffffffffL) << 16 ^ Arrays.hashCode(mac);
        long now = clock.getAsLong();
        Long at = checked.get(key);
        if (at != null && now - at < RECHECK_MILLIS) {
            return true;
        }
        checked.put(key, now);
        return false;
    }

    long count() {
        return count;
    }

    List<DhcpStats.Conflict> recent() {
        return List.copyOf(recent);
    }
}
