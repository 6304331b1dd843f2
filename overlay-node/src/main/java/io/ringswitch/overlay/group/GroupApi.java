package io.ringswitch.overlay.group;

import java.util.List;

/**
 * The JSON documents the group server and its clients exchange over HTTPS. Enrolment: the node
 * posts {@link EnrolRequest} to {@code /api/enrol} and gets {@link EnrolResponse}. Renewal: it
 * gets a fresh {@link Nonce} from {@code /api/nonce}, signs {@code "ringswitch-renew-v1:" || nonce}
 * with its current key and posts {@link RenewRequest} to {@code /api/renew}.
 */
public final class GroupApi {
    /** What the renewal signature covers before the nonce: binds the signature to this use only. */
    public static final String RENEW_CONTEXT = "ringswitch-renew-v1:";

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

    /** A refusal: what was wrong. */
    public record Error(String error) {
    }
}
