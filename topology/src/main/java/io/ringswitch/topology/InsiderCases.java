package io.ringswitch.topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The insider attacks of issue 18 that need an attacker node (a member that forges, squats,
 * answers for another or floods), which the demo's lab does not run: for each, what stops it,
 * the status counter that moves when it is tried, and the unit tests in overlay-node that try it
 * and would pass without the check. Listed, not run: the report says {@code shown_in_lab: false}.
 */
final class InsiderCases {
    private static final String UNIT = "unit test overlay-node ";

    private InsiderCases() {
    }

    /** By attack, in the order of the list. */
    static Map<String, InsiderTour.Case> provenElsewhere() {
        Map<String, InsiderTour.Case> out = new LinkedHashMap<>();
        out.put("alter-routed-frames", new InsiderTour.ProvenElsewhere("refused",
                "routed frames ride the two sites' own Noise session (secure/RoutedPaths, AES-256-GCM): a changed byte fails the tag",
                "security.refused.record-forged",
                List.of(UNIT + "SecureRoutedSessionTest#aNodeOnTheRouteThatAltersARecordGetsItRefused")));
        out.put("forge-directory-entry", new InsiderTour.ProvenElsewhere("refused",
                "signed, owned DHT records (ring/dht/DhtRecord, security/SignedDhtRecords): ip4:/mac: keys have one owner, "
                        + "timestamps from the future are refused",
                "dhtRecords.refused.future-timestamp, dhtRecords.refused.not-owner",
                List.of(UNIT + "DhtInsiderTest#aForgedDirectoryEntryForAnotherSitesHostIsRefusedAndReadersStillFindTheRealSite",
                        UNIT + "DhtInsiderTest#recordsThatNameAnotherSiteThanTheirPublisherAreIgnored")));
        out.put("squat-lease", new InsiderTour.ProvenElsewhere("refused",
                "a lease is created once and renewed only by its creator (DhtStore single-owner keys)",
                "dhtRecords.refused.not-owner",
                List.of(UNIT + "DhtInsiderTest#aLeaseAnotherSiteHoldsCannotBeSquatted")));
        out.put("release-lease", new InsiderTour.ProvenElsewhere("refused",
                "a release is signed by the lease's creator and a replica release checked against the holder's own view",
                "dhtRecords.refused.release-by-non-holder",
                List.of(UNIT + "DhtInsiderTest#anotherSitesLeaseCannotBeReleased")));
        out.put("forge-routed-frame", new InsiderTour.ProvenElsewhere("refused",
                "frames between sites come over a link or sealed end to end; a routed FRAME message is refused "
                        + "(forwarding/RoutedFrameRefusal); every routed message carries its source's Ed25519 signature, "
                        + "checked at delivery (ring/routing/SourceAuthentication, security/SourceSignatures)",
                "security.refused.routed-frame-unsealed, security.refused.routed-forged-source",
                List.of(UNIT + "RoutedFrameRefusalTest#aRoutedFrameInAnotherSitesNameIsRefusedAndBroadcastsPass",
                        UNIT + "SourceAuthenticationRingTest#aMemberThatRoutesInAnotherMembersNameIsStoppedWhereTheMessageEnds",
                        UNIT + "SecureRoutedSessionTest#aMemberOnTheRouteThatAnswersForTheOtherSiteOrSpeaksInItsNameIsRefusedByBoth")));
        out.put("forge-dht-store", new InsiderTour.ProvenElsewhere("refused",
                "a DHT record is signed by its publisher's certificate key; the routed store by its source",
                "dhtRecords.refused.bad-signature, security.refused.routed-forged-source",
                List.of(UNIT + "DhtInsiderTest#aValueSignedByOneMemberInTheNameOfAnotherIsRefused",
                        UNIT + "SourceAuthenticationRingTest#aMemberThatRoutesInAnotherMembersNameIsStoppedWhereTheMessageEnds")));
        out.put("answer-rekey", new InsiderTour.ProvenElsewhere("refused",
                "a session belongs to (path, ring address): the initiator refuses a responder that is not the peer it meant "
                        + "(secure/SessionTable, Handshaker)",
                "security.refused.responder-not-peer",
                List.of(UNIT + "SessionIdentityTest#aMemberAnsweringARekeyMeantForAnotherIsRefusedAndTheOldSessionStays",
                        UNIT + "SessionIdentityTest#aMemberStartingAHandshakeFromAnotherMembersEndpointGetsNoSessionThere",
                        UNIT + "SecureRoamingTest#aMemberCannotTakeAnotherMembersEndpointWithItsOwnRecords")));
        out.put("flood-broadcasts", new InsiderTour.ProvenElsewhere("cut at the first hop",
                "a per-origin budget at every hop, a range that may not reach past its sender, the origin's signature "
                        + "checked at every hop (ring/routing/Broadcaster, BroadcastBudget)",
                "RingCounters.broadcastsOverBudget and broadcastRangeRefused (not in the status file), security.refused.routed-forged-source",
                List.of(UNIT + "BroadcastFloodTest#aMemberFloodingBroadcastsIsCutAtTheFirstHopAndOthersStillPass",
                        UNIT + "BroadcastFloodTest#aRangeThatReachesPastItsSenderIsRefused",
                        UNIT + "SourceAuthenticationRingTest#aMemberThatForgesABroadcastOriginIsStoppedAtTheFirstHop")));
        out.put("widen-broadcast-range", new InsiderTour.ProvenElsewhere("refused at the next hop",
                "every broadcast covers the ring from its signed origin round to it, so a node on the way that widens or "
                        + "re-aims a range past the origin is caught by the next hop (ring/routing/Broadcaster)",
                "ring.broadcastBeyondOrigin",
                List.of(UNIT + "SourceAuthenticationRingTest#aRangeWidenedPastItsOriginByANodeOnTheWayIsCaughtAtTheNextHop")));
        out.put("publish-gateway-without-role", new InsiderTour.ProvenElsewhere("refused",
                "a gw: record needs a certificate that grants the gateway role (security/NodeRoles), checked by holders "
                        + "and readers",
                "dhtRecords.refused.no-role",
                List.of(UNIT + "GatewayRoleTest#aMemberWithoutTheGatewayRoleIsNeverListedAsAGateway",
                        UNIT + "GatewayRoleTest#aReaderRefusesAGatewayRecordSignedWithoutTheRoleEvenWhenAHolderHandsItOver")));
        out.put("fill-the-dht", new InsiderTour.ProvenElsewhere("limited",
                "each holder keeps at most 1,024 records and 1 MB per publisher (ring/dht/PublisherQuota)",
                "dht.record.publisherFull",
                List.of(UNIT + "DhtQuotaTest#aMemberStoringTenThousandKeysFillsOnlyItsQuotaAndHonestStoresSucceed")));
        out.put("handshake-flood", new InsiderTour.ProvenElsewhere("honest rekeys go through",
                "cookies once the handshake table is a quarter full, per-prefix (/24, /64) initiation buckets (secure/HandshakeGate)",
                "security.cookiesSent, security.refused.prefix-rate-limited",
                List.of(UNIT + "HandshakeFloodTest#tenThousandSpoofedInitiationsDoNotStopTwoHonestNodesFromRekeying",
                        UNIT + "HandshakeFloodTest#oneNetworksManyAddressesShareOneBudget")));
        out.put("choose-ring-address", new InsiderTour.ProvenElsewhere("refused",
                "address = hash of the key and a salt the CA draws and signs (security/RingSalt)",
                "security.refused.certificate-address-not-key",
                List.of(UNIT + "RingAddressGrindingTest#withTheCasSaltTheGroundKeyLandsWhereverTheSaltPutsIt",
                        UNIT + "RingAddressGrindingTest#aSaltOfTheMembersChoosingBreaksTheCasSignature")));
        out.put("reflect-probes", new InsiderTour.ProvenElsewhere("limited",
                "probes only to endpoints a handshake confirmed, never to loopback, multicast or unspecified addresses "
                        + "(ring/link/ProbeLimiter)",
                "nat.probesLimited",
                List.of(UNIT + "ProbeLimiterTest#aVictimAMemberVouchedForGetsNoMoreProbesThanTheLimiterAllows",
                        UNIT + "ProbeLimiterTest#noProbeEverGoesToLoopbackMulticastUnspecifiedOrBroadcast")));
        return out;
    }
}
