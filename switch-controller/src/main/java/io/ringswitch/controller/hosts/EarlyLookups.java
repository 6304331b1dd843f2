package io.ringswitch.controller.hosts;

import io.ringswitch.controller.api.SiteDirectory.Located;
import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Directory lookups of an address started together with the lookup of its host's MAC: a new
 * host's first frame (an ARP request, an IPv4 packet) claims both, and asking about the address
 * only once the MAC is bound would make the host wait two rounds of the DHT instead of one
 * (issue 21: a cold start's first ping waited for four such rounds, two at each end). The address
 * claim takes its lookup from here when the frame comes back after the MAC's binding. Bounded by
 * count and by age, since hosts choose the addresses.
 */
final class EarlyLookups {
    private record Lookup(CompletableFuture<Located> answer, long since) {
    }

    private final int max;
    private final long timeoutMillis;
    private final Map<InetAddress, Lookup> lookups = new LinkedHashMap<>();

    EarlyLookups(int max, long timeoutMillis) {
        this.max = max;
        this.timeoutMillis = timeoutMillis;
    }

    /** Starts the lookup of {@code ip} unless one waits already or there is no room. */
    void start(InetAddress ip, Supplier<CompletableFuture<Located>> lookup, long now) {
        if (!lookups.containsKey(ip) && lookups.size() < max) {
            lookups.put(ip, new Lookup(lookup.get(), now));
        }
    }

    /** The lookup started for {@code ip}, taken out; null when none was. */
    CompletableFuture<Located> take(InetAddress ip) {
        Lookup l = lookups.remove(ip);
        return l == null ? null : l.answer();
    }

    /** Forgets the lookups older than the timeout (their frame never came back as a claim). */
    void expire(long now) {
        for (Iterator<Lookup> i = lookups.values().iterator(); i.hasNext(); ) {
            if (now - i.next().since() < timeoutMillis) {
                break;
            }
            i.remove();
        }
    }

    int size() {
        return lookups.size();
    }
}
