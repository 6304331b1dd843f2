package io.ringswitch.controller.multicast;

import java.net.InetAddress;
import java.util.List;

/**
 * An IGMP (RFC 2236, RFC 3376) or MLD (RFC 2710, RFC 3810) message as the snooping needs it:
 * who asks, who joins and who leaves which group. Source lists of v3/v2 records are not kept:
 * a port either takes a group or it does not.
 */
sealed interface MembershipMessage {

    /**
     * A membership query.
     *
     * @param querier the sender's address (0.0.0.0 for a proxy querier)
     * @param group   the group asked about; null for a general query
     */
    record Query(InetAddress querier, InetAddress group) implements MembershipMessage {
    }

    /**
     * Reports, leaves and dones: {@code reporter} is (still) a member of {@code joined} and no
     * longer wants {@code left} (IGMPv2 leave, MLDv1 done, v3 TO_IN({}) / IS_IN({})).
     */
    record Report(InetAddress reporter, List<InetAddress> joined, List<InetAddress> left) implements MembershipMessage {
    }

    /** A message that claims to be IGMP or MLD but does not hold together; it goes nowhere. */
    final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }
}
