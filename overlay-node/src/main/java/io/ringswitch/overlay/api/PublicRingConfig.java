package io.ringswitch.overlay.api;

import java.util.List;

/**
 * A private overlay's public ring (issue 19, the IPOP paper §4.4): the node's own ring, under its
 * {@code identity:}, is its group's private ring; this section makes it a member of a second,
 * public ring too, only to find the other members of its group there. The node publishes its
 * private ring's endpoints under the key {@code private:GROUP:CA} of the public ring's DHT, signed
 * with its group certificate, reads the other members' records, and joins its private ring through
 * the endpoints that pass the group CA.
 *
 * <pre>
 * public:
 *   listen: 192.0.2.7:5801                 # the public ring's UDP address (not the private ring's)
 *   bootstrap: [198.51.100.1:5800]          # the public ring's nodes
 *   identity: {certificate: public.crt, key: public.key, ca: public-ca.crt}   # of the public ring's CA
 *   readSeconds: 10                         # how often the members' records are read (default 10)
 * </pre>
 *
 * @param listen      where the public ring's node listens (UDP)
 * @param bootstrap   the public ring's bootstrap endpoints (at least one)
 * @param identity    this node's certificate and key from the public ring's CA, and that CA
 * @param readSeconds how often the group's records are read again, so that later members are found
 */
public record PublicRingConfig(
        @Doc(value = "Where the public ring's node listens (UDP HOST:PORT), not the private ring's address.",
                example = "192.0.2.7:5801") String listen,
        @Doc(value = "The public ring's bootstrap endpoints (at least one).", example = "[198.51.100.1:5800]")
        List<String> bootstrap,
        @Doc("This node's certificate and key from the public ring's CA, and that CA.") NodeConfig.Identity identity,
        @Doc(value = "Seconds between two reads of the group's records, so that later members are found (1 to 3600).",
                byDefault = "10", example = "30") Integer readSeconds) {
    /** The group's records are read again this often unless configured. */
    public static final int DEFAULT_READ_SECONDS = 10;

    PublicRingConfig checked(NodeConfig.Identity privateIdentity, ConfigProblems problems) {
        try {
            Endpoints.parse(listen);
        } catch (IllegalArgumentException e) {
            problems.add("public.listen", listen, "UDP HOST:PORT with a numeric address, e.g. 192.0.2.7:5801 (" + e.getMessage() + ")");
        }
        List<String> peers = bootstrap == null ? List.of() : List.copyOf(bootstrap);
        if (peers.isEmpty()) {
            problems.add("public.bootstrap", null, "the public ring's endpoints, e.g. [198.51.100.1:5800]: the group is found there");
        }
        for (int i = 0; i < peers.size(); i++) {
            try {
                Endpoints.parse(peers.get(i));
            } catch (IllegalArgumentException e) {
                problems.add("public.bootstrap[" + i + "]", peers.get(i), "HOST:PORT with a numeric address (" + e.getMessage() + ")");
            }
        }
        if (identity == null || identity.certificate() == null || identity.key() == null || identity.ca() == null) {
            problems.add("public.identity", identity == null ? null : "an incomplete identity", "certificate, key and ca, all three, of the public ring's CA");
        }
        if (privateIdentity == null) {
            problems.add("public", "a public section without identity", "add identity: (the group's certificate, which signs the records), or leave public out");
        }
        int read = readSeconds == null ? DEFAULT_READ_SECONDS : readSeconds;
        if (read < 1 || read > 3600) {
            problems.add("public.readSeconds", read, "1 to 3600 seconds");
        }
        return new PublicRingConfig(listen, peers, identity, read);
    }
}
