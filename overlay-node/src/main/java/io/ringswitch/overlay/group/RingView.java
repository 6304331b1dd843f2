package io.ringswitch.overlay.group;

import io.ringswitch.overlay.group.GroupState.Member;
import io.ringswitch.overlay.group.GroupState.Report;
import java.time.Instant;

/**
 * A member's state "from the ring's view": online when at least one other member that is not
 * revoked has a fresh report ({@link Report#freshAt}) naming it as a live peer, else offline since
 * the last report that named it, or never seen. A member's own report never makes it online: a
 * node that reaches the server but nobody on the ring is not on the ring.
 *
 * @param online       whether another member's fresh report names it now
 * @param seenBy       how many other members' fresh reports name it
 * @param at           the newest of those reports (epoch ms), 0 when offline
 * @param offlineSince when a report last named it (epoch ms), 0 when none ever did
 */
public record RingView(boolean online, int seenBy, long at, long offlineSince) {

    static RingView of(GroupState state, Member member, long now) {
        int seenBy = 0;
        long at = 0;
        for (Member other : state.members()) {
            if (other.address().equals(member.address()) || other.revoked()) {
                continue;
            }
            Report r = state.reports().get(other.address());
            if (r != null && r.freshAt(now) && r.peers().contains(member.address())) {
                seenBy++;
                at = Math.max(at, r.receivedAt());
            }
        }
        return seenBy > 0 ? new RingView(true, seenBy, at, 0)
                : new RingView(false, 0, 0, state.seenLive().getOrDefault(member.address(), 0L));
    }

    /** What the members page shows: "online (seen live by N members at T)", "offline since T" or "never". */
    String describe() {
        if (online) {
            return "online (seen live by " + seenBy + (seenBy == 1 ? " member" : " members") + " at " + Instant.ofEpochMilli(at) + ")";
        }
        return offlineSince == 0 ? "never" : "offline since " + Instant.ofEpochMilli(offlineSince);
    }

    /** The page's CSS class and the browser test's handle: online, offline or never. */
    String kind() {
        return online ? "online" : offlineSince == 0 ? "never" : "offline";
    }
}
