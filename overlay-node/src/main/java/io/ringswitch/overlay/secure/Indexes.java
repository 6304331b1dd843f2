package io.ringswitch.overlay.secure;

import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session indexes in use: random, unique 32-bit numbers that name a handshake in progress
 * and then its session, so that replies and records find their state without trusting addresses.
 * Shared by the event loop and the handshake thread.
 */
final class Indexes {
    private final Set<Integer> used = ConcurrentHashMap.newKeySet();
    private final SecureRandom random;

    Indexes(SecureRandom random) {
        this.random = random;
    }

    int allocate() {
        while (true) {
            int i = random.nextInt();
            if (i != 0 && used.add(i)) {
                return i;
            }
        }
    }

    boolean inUse(int index) {
        return used.contains(index);
    }

    void release(int index) {
        used.remove(index);
    }

    int size() {
        return used.size();
    }
}
