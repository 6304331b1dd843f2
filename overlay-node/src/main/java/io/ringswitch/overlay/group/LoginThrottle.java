package io.ringswitch.overlay.group;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing: after {@link #FREE} failed logins from one address, that address may
 * not try again for a lockout that doubles with each further failure (1 s, 2 s, 4 s ... up to
 * 15 minutes); a success clears it. All addresses together are held to the same rule under the
 * key {@code *}, at ten times the allowance, so that guessing from many addresses gains little.
 * Time is the injected monotonic clock in milliseconds.
 */
final class LoginThrottle {
    static final int FREE = 5;
    private static final long MAX_LOCK = 15 * 60_000L;
    private static final int MAX_TRACKED = 10_000;

    private final LongSupplier millis;
    private final Map<String, long[]> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    LoginThrottle(LongSupplier millis) {
        this.millis = millis;
    }

    /** Refuses when {@code from} (or everyone) is locked out now. */
    synchronized void check(String from) throws GroupRefusal {
        long now = millis.getAsLong();
        for (String key : new String[] {from, "*"}) {
            long[] f = failures.get(key);
            if (f != null && now < f[1]) {
                throw new GroupRefusal("login-throttled", "too many failed logins: try again in "
                        + Math.max(1, (f[1] - now + 999) / 1000) + " s");
            }
        }
    }

    synchronized void failed(String from) {
        record(from, FREE);
        record("*", FREE * 10);
    }

    synchronized void succeeded(String from) {
        failures.remove(from);
    }

    private void record(String key, int free) {
        long[] f = failures.computeIfAbsent(key, k -> new long[2]);
        f[0]++;
        if (f[0] >= free) {
            long lock = Math.min(MAX_LOCK, 1000L << Math.min(20, f[0] - free));
            f[1] = millis.getAsLong() + lock;
        }
    }
}
