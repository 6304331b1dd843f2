package io.ringswitch.overlay.ring.dht;

import io.ringswitch.overlay.ring.RingAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a confirmed read ({@link DhtClient#confirmed}) writes back when two holders of a key
 * answered differently: for each publisher, the newest record either holder gave, to the holder
 * whose own record of that publisher is older or missing (it missed a store while a link was down,
 * or joined late). Each record is the publisher's own signed envelope, checked by the reader and
 * checked again by the holder, which applies its own rules (a single-owner key still refuses a
 * second claimant), so the reader can settle a stale holder but can put nothing there that the
 * publisher did not sign. Releases count as records here: a holder that missed a release learns it.
 */
final class ReadRepair {
    /** A checked record as a holder answered it, with the time it had left there. */
    record Copy(DhtRecord record, long ttlMillis) {
    }

    private ReadRepair() {
    }

    /**
     * The records {@code other} gave that the holder which answered {@code holder} lacks: per
     * publisher, the newest of {@code other}'s where {@code holder} has none of that publisher or an
     * older one.
     */
    static List<Copy> lacking(List<Copy> holder, List<Copy> other) {
        Map<RingAddress, Long> had = new HashMap<>();
        for (Copy c : holder) {
            had.merge(c.record().publisher(), c.record().timestamp(), Math::max);
        }
        Map<RingAddress, Copy> newest = new HashMap<>();
        for (Copy c : other) {
            newest.merge(c.record().publisher(), c, (a, b) -> b.record().timestamp() > a.record().timestamp() ? b : a);
        }
        List<Copy> out = new ArrayList<>();
        for (Copy c : newest.values()) {
            Long mine = had.get(c.record().publisher());
            if (mine == null || mine < c.record().timestamp()) {
                out.add(c);
            }
        }
        return out;
    }
}
