package io.ringswitch.overlay.group;

import java.util.List;

/**
 * What the group server keeps across restarts, as one JSON document: the administrator's
 * password hash, the join requests and the members. Times are epoch milliseconds.
 *
 * @param adminHash  the administrator's password hash ({@link PasswordHash}), null before first start
 * @param requests   every join request, oldest first
 * @param members    every site that enrolled, revoked ones included (the CRL is made from them)
 * @param crlNumber  the number of the last CRL published (RFC 5280 §5.2.3), increasing
 */
record GroupState(String adminHash, List<Request> requests, List<Member> members, long crlNumber) {

    static GroupState empty() {
        return new GroupState(null, List.of(), List.of(), 0);
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
     * @param lastSeen  its last enrolment or renewal
     * @param revokedAt when it was revoked, or 0
     */
    record Member(String name, String requestId, String address, List<String> serials, long notAfter, long lastSeen,
                  long revokedAt) {
        boolean revoked() {
            return revokedAt != 0;
        }
    }
}
