package io.ringswitch.topology;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The certificate a lab site's node gets. Every site but the security demo's has a valid one;
 * the others are deliberately bad, each in one way that the other nodes must refuse.
 */
public enum SiteCredential {
    /** Issued by the lab's CA for the node's own key: the node joins. */
    VALID("valid", "", false),
    /**
     * Issued by a second, unrelated CA of the same group name; the node's config names that CA, so
     * it starts normally, but the lab's nodes do not know its issuer.
     */
    OTHER_CA("other-ca", "certificate-other-ca", false),
    /** Issued by the lab's CA, with a validity that ended before the lab came up. */
    EXPIRED("expired", "certificate-expired", true),
    /**
     * Issued by the lab's CA with a ring salt, but naming a ring address that is not the SHA-1 of
     * the node's key and that salt.
     */
    ADDRESS_MISMATCH("address-mismatch", "certificate-address-not-key", true);

    private final String id;
    private final String refusal;
    private final boolean unverified;

    SiteCredential(String id, String refusal, boolean unverified) {
        this.id = id;
        this.refusal = refusal;
        this.unverified = unverified;
    }

    /** The name in YAML and on the command line: {@code valid}, {@code other-ca}, ... */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * The reason a node that checks this certificate refuses it, as it counts it in its status
     * ({@code security.refused}); empty for a valid one.
     */
    public String refusal() {
        return refusal;
    }

    /**
     * Whether the node must be told not to check its own certificate
     * ({@code -Dringswitch.identity.unverified=true}): it would refuse to start with it otherwise.
     */
    public boolean unverified() {
        return unverified;
    }

    @JsonCreator
    public static SiteCredential of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a credential: " + id + " (credentials: "
                        + Arrays.stream(values()).map(SiteCredential::id).collect(Collectors.joining(", ")) + ")"));
    }

    @Override
    public String toString() {
        return id;
    }
}
