package io.ringswitch.overlay.group;

import java.io.IOException;

/**
 * The group server's CRL ({@code GET /crl}) over HTTPS with its certificate pinned, as bytes for
 * {@code revocation.CrlFetcher} to check: the node trusts the list's CA signature, not the server.
 */
public final class CrlSource {
    private final GroupClient client;

    public CrlSource(String server, String serverSha256) {
        this.client = new GroupClient(server, serverSha256);
    }

    /** The CRL's DER bytes as the server serves them now. */
    public byte[] fetch() throws IOException {
        return client.bytes("/crl");
    }
}
