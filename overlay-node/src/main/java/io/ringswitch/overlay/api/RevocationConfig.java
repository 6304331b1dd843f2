package io.ringswitch.overlay.api;

/**
 * Where the node fetches the group's CRL ({@code GET /crl}) and how often; {@code server} and
 * {@code serverSha256} default to {@code renewal:}'s, {@code intervalSeconds} to 60.
 *
 * <pre>
 * revocation: {server: https://198.51.100.7:8443, serverSha256: 9f86..., intervalSeconds: 60}
 * </pre>
 */
public record RevocationConfig(
        @Doc(value = "The group server's HTTPS address that serves the CRL.", byDefault = "renewal.server",
                example = "https://198.51.100.7:8443") String server,
        @Doc(value = "The SHA-256 fingerprint of the server's TLS certificate (64 lower-case hex digits), pinned.",
                byDefault = "renewal.serverSha256", example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        String serverSha256,
        @Doc(value = "Seconds between two fetches of the CRL (1 to 86400).", byDefault = "60", example = "300")
        Integer intervalSeconds) {

    /** Default seconds between two fetches of the group's CRL. */
    public static final int DEFAULT_INTERVAL_SECONDS = 60;

    /** Checks what is set; {@code hasIdentity} whether the node has a group certificate, without which there is no CRL. */
    void check(boolean hasIdentity, ConfigProblems problems) {
        if (server != null && !server.startsWith("https://")) {
            problems.add("revocation.server", server, "an https:// address such as https://198.51.100.7:8443");
        }
        if (serverSha256 != null && !serverSha256.matches("[0-9a-f]{64}")) {
            problems.add("revocation.serverSha256", serverSha256, "64 lower-case hex digits (the server certificate's SHA-256)");
        }
        if (intervalSeconds != null && (intervalSeconds < 1 || intervalSeconds > 86_400)) {
            problems.add("revocation.intervalSeconds", intervalSeconds, "1 to 86400 seconds");
        }
        if (!hasIdentity) {
            problems.add("revocation", "a revocation section without identity",
                    "add identity: {certificate, key, ca} (a group with a CA), or leave revocation out");
        }
    }
}
