package io.ringswitch.controller.hosts;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The claims (a MAC or an address) that wait for the site directory, each with the frames its host
 * sent meanwhile, so that a host's first packets are re-injected after its binding instead of lost.
 * Bounded three ways, since hosts choose the keys: frames per claim, claims at once, and the time a
 * claim may wait (a lookup the overlay never answers must not hold its slot, nor the host, for good).
 */
final class HeldFrames {
    private final int perClaim;
    private final int maxClaims;
    private final long timeoutMillis;
    private final Map<Object, Claim> claims = new LinkedHashMap<>();
    private long dropped;
    private long timedOut;

    private static final class Claim {
        final long since;
        final List<byte[]> frames = new ArrayList<>(4);

        Claim(long since) {
            this.since = since;
        }
    }

    HeldFrames(int perClaim, int maxClaims, long timeoutMillis) {
        this.perClaim = perClaim;
        this.maxClaims = maxClaims;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Holds a frame for a claim; true when it starts the claim (the caller asks the directory),
     * false when the claim was already waiting (the frame waits with it) or nothing more can wait.
     */
    boolean hold(Object claim, byte[] frame, long now) {
        Claim waiting = claims.get(claim);
        if (waiting != null) {
            if (waiting.frames.size() < perClaim) {
                waiting.frames.add(frame);
            } else {
                dropped++;
            }
            return false;
        }
        if (claims.size() >= maxClaims) {
            dropped++;
            return false;
        }
        waiting = new Claim(now);
        waiting.frames.add(frame);
        claims.put(claim, waiting);
        return true;
    }

    /** The directory answered: the claim's frames, in order (none when the claim timed out meanwhile). */
    List<byte[]> release(Object claim) {
        Claim waiting = claims.remove(claim);
        return waiting == null ? List.of() : waiting.frames;
    }

    /** Drops the claims that waited longer than the timeout, and their frames; how many. */
    int expire(long now) {
        int expired = 0;
        for (Iterator<Claim> i = claims.values().iterator(); i.hasNext(); ) {
            Claim waiting = i.next();
            if (now - waiting.since < timeoutMillis) {
                break;
            }
            i.remove();
            dropped += waiting.frames.size();
            expired++;
        }
        timedOut += expired;
        return expired;
    }

    int claims() {
        return claims.size();
    }

    /** Frames dropped: over a claim's share, with no room for a claim, or with a claim that timed out. */
    long dropped() {
        return dropped;
    }

    long timedOut() {
        return timedOut;
    }
}
