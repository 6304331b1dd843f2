package io.ringswitch.overlay.forwarding;

import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.overlay.ring.RingAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * Turns the source MACs of frames from other sites, and the directory's answers for unknown
 * destinations, into the site each remote MAC lives behind: learnt, aged out, looked up, forgotten
 * with a revoked site, and each change told to the switch controller (whose flows for remote MACs
 * follow this table). Split out of {@link FrameForwarder}, which carries the frames. Owned by the
 * node's event loop.
 */
final class RemoteMacs {
    static final long MAC_AGING_MILLIS = 300_000;
    static final int MAX_MACS = 65_536;
    /** How long a site the directory named for a MAC is used before a frame from that MAC confirms it. */
    static final long DIRECTORY_TRUST_MILLIS = 10_000;

    private static final class MacEntry {
        RingAddress site;
        long seenMillis;
    }

    private final LongSupplier clock;
    private final FrameCounters counters;
    private final LongObjectMap<MacEntry> macs = new LongObjectHashMap<>();
    private final Map<Long, Long> lookingUp = new HashMap<>();
    private FrameForwarder.MacDirectory directory;
    private SiteDirectory.Listener macEvents;

    RemoteMacs(LongSupplier clock, FrameCounters counters) {
        this.clock = clock;
        this.counters = counters;
    }

    void attach(FrameForwarder.MacDirectory directory) {
        this.directory = directory;
    }

    void attach(SiteDirectory.Listener macEvents) {
        this.macEvents = macEvents;
    }

    /** The site {@code mac} lives behind, or null when it is not known here. */
    RingAddress site(long mac) {
        MacEntry entry = macs.get(mac);
        return entry == null ? null : entry.site;
    }

    /** Asks the directory where an unknown unicast MAC lives, at most once per 5 s per MAC and 256 at a time. */
    void lookUp(long mac) {
        long now = clock.getAsLong();
        Long since = lookingUp.get(mac);
        if (directory == null || since != null && now - since < 5_000 || since == null && lookingUp.size() >= 256) {
            return;
        }
        lookingUp.put(mac, now);
        counters.directoryLookups.inc();
        directory.site(mac).whenComplete((site, error) -> {
            if (site != null && !macs.containsKey(mac)) {
                counters.directoryFound.inc();
                learn(mac, site);
                // On the directory's word alone for a few seconds only: the host may have left
                // that site without anyone telling the directory. A frame from it confirms it.
                macs.get(mac).seenMillis -= MAC_AGING_MILLIS - DIRECTORY_TRUST_MILLIS;
            }
        });
    }

    /** {@code mac} was seen (or named) behind {@code site} now; a new MAC is told to the controller. */
    void learn(long mac, RingAddress site) {
        MacEntry entry = macs.get(mac);
        if (entry == null) {
            if (macs.size() >= MAX_MACS) {
                return;
            }
            entry = new MacEntry();
            macs.put(mac, entry);
            if (macEvents != null) {
                macEvents.remoteMacLearned(MacAddress.of(mac));
            }
        }
        entry.site = site;
        entry.seenMillis = clock.getAsLong();
    }

    /** Forgets every MAC learnt at {@code site}, telling the controller; returns how many. */
    int forgetSite(RingAddress site) {
        int[] n = {0};
        macs.entrySet().removeIf(e -> {
            if (!site.equals(e.getValue().site)) {
                return false;
            }
            n[0]++;
            if (macEvents != null) {
                macEvents.remoteMacForgotten(MacAddress.of(e.getKey()));
            }
            return true;
        });
        return n[0];
    }

    /** Forgets MACs not seen for the aging time, and lookups old enough to be asked again. */
    void expire() {
        long now = clock.getAsLong();
        macs.entrySet().removeIf(e -> {
            if (now - e.getValue().seenMillis <= MAC_AGING_MILLIS) {
                return false;
            }
            if (macEvents != null) {
                macEvents.remoteMacForgotten(MacAddress.of(e.getKey()));
            }
            return true;
        });
        lookingUp.values().removeIf(since -> now - since >= 5_000);
    }

    int size() {
        return macs.size();
    }

    /** The remote MACs known now. */
    List<MacAddress> known() {
        List<MacAddress> out = new ArrayList<>(macs.size());
        for (long mac : macs.keySet()) {
            out.add(MacAddress.of(mac));
        }
        return out;
    }
}
