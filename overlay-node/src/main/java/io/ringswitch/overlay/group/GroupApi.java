package io.ringswitch.overlay.group;

import java.util.List;

/**
 * The JSON documents the group server and its clients exchange over HTTPS. Enrolment: the node
 * posts {@link EnrolRequest} to {@code /api/enrol} and gets {@link EnrolResponse}. Renewal: it
 * gets a fresh {@link Nonce} from {@code /api/nonce}, signs {@code "ringswitch-renew-v1:" || nonce}
 * with its current key and posts {@link RenewRequest} to {@code /api/renew}. Ring view: with
 * each CRL fetch a node posts a {@link RingReport} of its live peers to {@code /api/report}.
 */
public final class GroupApi {
    /** What the renewal signature covers before the nonce: binds the signature to this use only. */
    public static final String RENEW_CONTEXT = "ringswitch-renew-v1:";

    /** What a ring report's signature covers before its fields: binds the signature to this use only. */
    public static final String REPORT_CONTEXT = "ringswitch-ring-report-v1:";

    private GroupApi() {
    }

    /** The configuration bundle of a group: what a node needs besides its own key and certificate. */
    public record Bundle(String group, String caCertificate, List<String> bootstrap, String server, String serverSha256,
                         long lifetimeMinutes) {
    }

    /** Which site a token is for, asked before the node makes its request (the request names the site). */
    public record TokenQuery(String token) {
    }

    /** The site and group a token enrols into. */
    public record TokenInfo(String site, String group) {
    }

    /** A one-time token's secret and a PKCS#10 request (PEM) signed with the node's new key. */
    public record EnrolRequest(String token, String csr) {
    }

    /** The node's certificate (PEM) and the group's bundle. */
    public record EnrolResponse(String certificate, Bundle bundle) {
    }

    /** A fresh single-use value to sign. */
    public record Nonce(String nonce) {
    }

    /** The current certificate (PEM), a nonce from the server and the Ed25519 signature (base64). */
    public record RenewRequest(String certificate, String nonce, String signature) {
    }

    /** The renewed certificate (PEM): same key, same ring salt, new validity. */
    public record RenewResponse(String certificate) {
    }

    /**
     * A member's report of the peers it has live links to, signed with its node key (Ed25519,
     * base64) over {@link #signed}: the server believes it only from a member that is not revoked,
     * fresh and newer than the last one it accepted from that member.
     *
     * @param certificate     the member's current certificate (PEM)
     * @param group           the group, as in the certificate
     * @param address         the member's ring address (hex)
     * @param timestamp       when it was made (epoch ms, the member's clock)
     * @param intervalSeconds the member's CRL interval: the report stays fresh for three of them
     * @param peers           the ring addresses (hex) of its live peers
     */
    public record RingReport(String certificate, String group, String address, long timestamp, long intervalSeconds,
                             List<String> peers, String signature) {
        /** The bytes the signature covers: the context, then every field but the certificate, one a line. */
        public static byte[] signed(String group, String address, long timestamp, long intervalSeconds, List<String> peers) {
            return (REPORT_CONTEXT + group + "\n" + address + "\n" + timestamp + "\n" + intervalSeconds + "\n"
                    + String.join(",", peers)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A report accepted, and when (epoch ms, the server's clock). */
    public record ReportAck(long receivedAt) {
    }

    /** A refusal: what was wrong. */
    public record Error(String error) {
    }
}
