package io.ringswitch.topology;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * When each site's node was started and when its status first showed it joined and each of its
 * links: what a lab reports as join and link set-up times. Fed by every look at the sites' status
 * ({@link #watch}); thread-safe.
 */
final class LinkWatch {
    private static final String JOINED = "joined";
    /** When each site's node was last started ({@link System#nanoTime}). */
    private final Map<Integer, Long> startedNanos = new ConcurrentHashMap<>();
    /** When a site's status first showed a link to a peer ({@code site>peer address}), since the last start. */
    private final Map<String, Long> linkSeenNanos = new ConcurrentHashMap<>();

    /** The node of {@code site} (re)started now: what was seen of it before is forgotten. */
    void started(int site) {
        linkSeenNanos.keySet().removeIf(k -> k.startsWith(site + ">"));
        startedNanos.put(site, System.nanoTime());
    }

    /** Notes the links and joins {@code sites}' status shows for the first time. */
    void watch(List<SiteHealth> sites) {
        long now = System.nanoTime();
        for (SiteHealth site : sites) {
            site.live().ifPresent(st -> {
                st.links().forEach(link -> linkSeenNanos.putIfAbsent(site.site() + ">" + link.address(), now));
                if (st.connected()) {
                    linkSeenNanos.putIfAbsent(site.site() + ">" + JOINED, now);
                }
            });
        }
    }

    /** How long after its node started a site was first seen joined; empty if not yet. */
    OptionalLong joinMillis(int site) {
        Long seen = linkSeenNanos.get(site + ">" + JOINED);
        Long start = startedNanos.get(site);
        return seen == null || start == null ? OptionalLong.empty()
                : OptionalLong.of(Math.max(0, TimeUnit.NANOSECONDS.toMillis(seen - start)));
    }

    /**
     * How long after the later of the two nodes started a link between sites {@code a} and
     * {@code b} was first seen in either one's status (so within about a second, the status
     * file's period, plus the JVM's start); empty when no link was seen.
     *
     * @param addressA the ring address of site a's node
     * @param addressB the ring address of site b's node
     */
    OptionalLong setupMillis(int a, String addressA, int b, String addressB) {
        Long seenAb = linkSeenNanos.get(a + ">" + addressB);
        Long seenBa = linkSeenNanos.get(b + ">" + addressA);
        Long startA = startedNanos.get(a);
        Long startB = startedNanos.get(b);
        if ((seenAb == null && seenBa == null) || startA == null || startB == null) {
            return OptionalLong.empty();
        }
        long seen = seenAb == null ? seenBa : seenBa == null ? seenAb : Math.min(seenAb, seenBa);
        return OptionalLong.of(Math.max(0, TimeUnit.NANOSECONDS.toMillis(seen - Math.max(startA, startB))));
    }
}
