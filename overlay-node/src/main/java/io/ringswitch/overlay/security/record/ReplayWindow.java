package io.ringswitch.overlay.security.record;

/**
 * Which counters of a receiving key were seen (RFC 6479's sliding bitmap, as WireGuard uses it):
 * a counter is new if it is above the highest seen, or within the window below it and not marked.
 * Only counters of records that authenticated are marked, so a forged record cannot move the
 * window.
 */
public final class ReplayWindow {
    private static final int WORDS = 128;
    /** Counters this far below the highest seen are still taken: 8,192 bits less one word. */
    public static final long SIZE = (WORDS - 1) * 64L;

    private final long[] bits = new long[WORDS];
    private long highest = -1;

    /** Could {@code counter} be new? Cheap, before any decryption. */
    public boolean mayAccept(long counter) {
        if (counter < 0) {
            return false;
        }
        if (counter > highest) {
            return true;
        }
        if (highest - counter >= SIZE) {
            return false;
        }
        return (bits[word(counter)] & bit(counter)) == 0;
    }

    /** Marks an authenticated record's counter; false when it was seen already (a replay). */
    public boolean mark(long counter) {
        if (!mayAccept(counter)) {
            return false;
        }
        if (counter > highest) {
            long oldWord = highest < 0 ? -1 : highest >>> 6;
            long newWord = counter >>> 6;
            for (long w = oldWord + 1; w <= newWord && w - oldWord <= WORDS; w++) {
                bits[(int) (w % WORDS)] = 0;
            }
            highest = counter;
        }
        bits[word(counter)] |= bit(counter);
        return true;
    }

    private static int word(long counter) {
        return (int) ((counter >>> 6) % WORDS);
    }

    private static long bit(long counter) {
        return 1L << (counter & 63);
    }
}
