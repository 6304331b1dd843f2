package io.ringswitch.overlay.group;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the group server refused, by reason, and logs the first of each reason and then
 * every power of two, so that a flood of bad requests neither goes unseen nor fills the log.
 */
final class Refusals {
    private static final Logger log = LoggerFactory.getLogger(Refusals.class);
    private final Map<String, Long> counts = new TreeMap<>();

    /** Counts {@code refusal} from {@code from} (an address, for the log). */
    synchronized void count(GroupRefusal refusal, String from) {
        long n = counts.merge(refusal.reason(), 1L, Long::sum);
        if (Long.bitCount(n) == 1) {
            log.warn("group server refused {} from {} ({} so far): {}", refusal.reason(), from, n, refusal.getMessage());
        }
    }

    synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }
}
