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
public record PublicRingConfig(String listen, List<String> bootstrap, NodeConfig.Identity identity, Integer readSeconds) {
    /** The group's records are read again this often unless configured. */
    public static final int DEFAULT_READ_SECONDS = 10;

    PublicRingConfig checked(NodeConfig.Identity privateIdentity, List<String> problems) {
        try {
            Endpoints.parse(listen);
        } catch (IllegalArgumentException e) {
            problems.add("public.listen: " + e.getMessage());
        }
        List<String> peers = bootstrap == null ? List.of() : List.copyOf(bootstrap);
        if (peers.isEmpty()) {
            problems.add("public.bootstrap: the public ring's endpoints are needed to find the group there");
        }
        for (String peer : peers) {
            try {
                Endpoints.parse(peer);
            } catch (IllegalArgumentException e) {
                problems.add("public.bootstrap: " + e.getMessage());
            }
        }
        if (identity == null || identity.certificate() == null || identity.key() == null || identity.ca() == null) {
            problems.add("public.identity: certificate, key and ca of the public ring are all needed");
        }
        if (privateIdentity == null) {
            problems.add("public: a private overlay needs identity: (the group's certificate), which signs its records");
        }
        int read = readSeconds == null ? DEFAULT_READ_SECONDS : readSeconds;
        if (read < 1 || read > 3600) {
            problems.add("public.readSeconds: 1 to 3600 (got " + read + ")");
        }
        return new PublicRingConfig(listen, peers, identity, read);
    }
}
