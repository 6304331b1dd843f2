package io.ringswitch.overlay.dashboard;

import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the requests the dashboard refused, by reason ({@code not-found}, {@code method},
 * {@code host}, {@code status-unavailable}), and logs the first of each reason and then every power
 * of two, so that a scan neither goes unseen nor fills the log.
 */
public final class HttpRefusals {
    private static final Logger log = LoggerFactory.getLogger(HttpRefusals.class);
    private final Map<String, Long> counts = new TreeMap<>();

    /** Counts one refusal of {@code reason}; {@code detail} (method, path, client) goes to the log. */
    synchronized void count(String reason, String detail) {
        long n = counts.merge(reason, 1L, Long::sum);
        if (Long.bitCount(n) == 1) {
            log.warn("dashboard refused a request: {} ({} so far): {}", reason, n, detail);
        }
    }

    /** The refusals so far, by reason. */
    public synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }
}
