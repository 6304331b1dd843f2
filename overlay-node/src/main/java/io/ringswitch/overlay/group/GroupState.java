package io.ringswitch.overlay.group;

import java.util.List;
import java.util.Map;

/**
 * What the group server keeps across restarts, as one JSON document: the administrator's
 * password hash, the join requests and the members. Times are epoch milliseconds.
 *
 * @param adminHash  the administrator's password hash ({@link PasswordHash}), null before first start
 * @param requests   every join request, oldest first
 * @param members    every site that enrolled, revoked ones included (the CRL is made from them)
 * @param crlNumber  the number of the last CRL published (RFC 5280 §5.2.3), increasing
 * @param reports    the last report accepted from each member, by its ring address ({@link RingReports})
 * @param seenLive   by ring address, when another member's accepted report last named the member as
 *                   a live peer: what "offline since" is told from once no fresh report names it
 */
record GroupState(String adminHash, List<Request> requests, List<Member> members, long crlNumber,
                  Map<String, Report> reports, Map<String, Long> seenLive) {

    GroupState {
        // A store written before reports existed has neither map.
        reports = reports == null ? Map.of() : Map.copyOf(reports);
        seenLive = seenLive == null ? Map.of() : Map.copyOf(seenLive);
    }

    static GroupState empty() {
        return new GroupState(null, List.of(), List.of(), 0, Map.of(), Map.of());
    }

    /** Where a join request stands. */
    enum Status { PENDING, APPROVED, DENIED, ENROLLED }

    /**
     * A site's request to join.
     *
     * @param id          the request's id: 128 random bits, the requester's only handle on it
     * @param site        the site's name, which becomes the certificate's name
     * @param contact     how the administrator reaches the person who asked
     * @param token       the one-time enrolment secret while approved and not yet used, else null
     * @param tokenSha256 SHA-256 of the secret (hex), kept after use so a reuse is told as such
     * @param tokenExpiresAt when the secret stops working
     */
    record Request(String id, String site, String contact, long createdAt, Status status, String token,
                   String tokenSha256, long tokenExpiresAt, long decidedAt) {
        Request with(Status s, String newToken, String hash, long expires, long at) {
            return new Request(id, site, contact, createdAt, s, newToken, hash, expires, at);
        }
    }

    /**
     * A site that enrolled.
     *
     * @param serials   serial numbers (hex) of every certificate issued to it, the newest last
     * @param notAfter  when its newest certificate expires
     * @param lastSeen  its last enrolment, renewal or accepted report
     * @param revokedAt when it was revoked, or 0
     */
    record Member(String name, String requestId, String address, List<String> serials, long notAfter, long lastSeen,
                  long revokedAt) {
        boolean revoked() {
            return revokedAt != 0;
        }
    }

    /**
     * A member's last accepted report of the peers it has live links to.
     *
     * @param signedAt   the report's own timestamp (the member's clock): a later report must carry a later one
     * @param receivedAt when the server accepted it (the server's clock): what freshness is judged by
     * @param freshFor   how long it stays fresh: three of the member's CRL intervals
     * @param peers      the ring addresses of its live peers
     */
    record Report(long signedAt, long receivedAt, long freshFor, List<String> peers) {
        boolean freshAt(long now) {
            return now - receivedAt <= freshFor;
        }
    }
}
