package io.ringswitch.controller.dhcp;

import io.ringswitch.controller.api.DhcpStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * What this site's DHCP server remembers between messages: the leases it granted and keeps (each
 * with the port its client asked on), the offers it holds for clients (RFC 2131 §4.3.1: an offered
 * address is held until the client requests or the hold ends), and addresses declined lately
 * (§4.3.3). The pool itself lives in the DHT; this is the site's part of it.
 */
final class LeaseBook {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    /** A lease this site keeps: who holds it (MAC then client key), where it asked, until when, and how to let the pool's claim go. */
    record Lease(byte[] holder, OFPort port, long expires, Runnable cancel) {
        byte[] mac() {
            return Arrays.copyOf(holder, 6);
        }
    }

    private record Offer(int ip, long expires) {
    }

    private final Map<Integer, Lease> leases = new HashMap<>();
    private final Map<String, Offer> offers = new HashMap<>();
    private final Map<Integer, Long> declined = new HashMap<>();

    Lease lease(int ip) {
        return leases.get(ip);
    }

    /** Keeps {@code lease} for {@code ip}; the lease it replaces, or null. */
    Lease keep(int ip, Lease lease) {
        return leases.put(ip, lease);
    }

    /** Forgets {@code ip}'s lease if {@code holder} holds it; the lease, or null. */
    Lease remove(int ip, byte[] holder) {
        Lease lease = leases.get(ip);
        if (lease != null && Arrays.equals(lease.holder, holder)) {
            leases.remove(ip);
            return lease;
        }
        return null;
    }

    int size() {
        return leases.size();
    }

    /** The addresses {@code holder} leases here. */
    List<Integer> leasedTo(byte[] holder) {
        List<Integer> ips = new ArrayList<>();
        leases.forEach((ip, lease) -> {
            if (Arrays.equals(lease.holder, holder)) {
                ips.add(ip);
            }
        });
        return ips;
    }

    /** The address offered to the client lately, or 0. */
    int offered(byte[] clientKey, long now) {
        Offer o = offers.get(HEX.formatHex(clientKey));
        return o != null && o.expires > now ? o.ip : 0;
    }

    void offer(byte[] clientKey, int ip, long until) {
        offers.put(HEX.formatHex(clientKey), new Offer(ip, until));
    }

    void forgetOffer(byte[] clientKey) {
        offers.remove(HEX.formatHex(clientKey));
    }

    void decline(int ip, long until) {
        declined.put(ip, until);
    }

    boolean declined(int ip, long now) {
        Long until = declined.get(ip);
        return until != null && until > now;
    }

    /** Forgets leases whose clients stopped renewing, offers not taken and old declines; the leases ended, by address. */
    Map<Integer, Lease> expire(long now) {
        Map<Integer, Lease> ended = new HashMap<>();
        leases.entrySet().removeIf(e -> {
            if (e.getValue().expires < now) {
                ended.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        offers.values().removeIf(o -> o.expires < now);
        declined.values().removeIf(until -> until < now);
        return ended;
    }

    /** The first {@code limit} leases by address, for the status. */
    List<DhcpStats.Lease> list(long now, int limit) {
        return leases.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Integer::compareUnsigned))
                .limit(limit)
                .map(e -> new DhcpStats.Lease(DhcpFrames.format(e.getKey()), describe(e.getValue().holder),
                        Math.max(0, (e.getValue().expires - now) / 1000)))
                .toList();
    }

    static String describe(byte[] holder) {
        return holder == null || holder.length < 6 ? "another client" : HEX.formatHex(Arrays.copyOf(holder, 6));
    }
}
