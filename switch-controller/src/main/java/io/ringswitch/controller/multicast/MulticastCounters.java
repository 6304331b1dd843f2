package io.ringswitch.controller.multicast;

/**
 * What the multicast manager has done, for status output.
 *
 * @param reports      group joins heard in IGMP/MLD reports (one per group record)
 * @param leaves       group leaves heard (IGMPv2 leave, MLDv1 done, v3 TO_IN({}))
 * @param queriesSent  queries sent, one per port a query left by
 * @param queriesHeard queries heard from other queriers on local ports
 * @param malformed    IGMP/MLD messages refused as malformed
 * @param refused      joins refused because the switch holds the most groups it will
 * @param groups       IP groups with members on local ports now
 * @param memberPorts  member ports summed over those groups
 * @param querier      whether this switch is the IGMP querier now
 * @param querier6     whether this switch is the MLD querier now
 */
public record MulticastCounters(long reports, long leaves, long queriesSent, long queriesHeard, long malformed,
                                long refused, int groups, int memberPorts, boolean querier, boolean querier6) {
}
