package io.ringswitch.controller.api;

import java.util.List;

/**
 * The DHCP server (RFC 2131) of this site, as the controller runs it; the node's status embeds it.
 *
 * @param enabled      whether the site answers DHCP (DHCP settings in its config)
 * @param pool         the pool's first and last address ("10.77.200.1-10.77.200.254"), or null
 * @param server       the address the server answers as, or null
 * @param leaseCount   leases this site granted and keeps (clients of this site)
 * @param malformed    DHCP messages dropped as malformed (short, bad options, relayed, replies from hosts,
 *                     a client hardware address other than the frame's source)
 * @param conflicts    addresses of the pool found in use by a host that did not lease them, or
 *                     declined by a client
 * @param unavailable  requests not answered because the pool (the DHT) could not be asked
 * @param exhausted    discovers with no free address among the candidates
 * @param rogueServers DHCP server replies from untrusted local ports, dropped (a rogue server)
 * @param leases       the first 256 leases, by address
 * @param lastConflicts the last conflicts found
 */
public record DhcpStats(boolean enabled, String pool, String server, int leaseCount, long discovers, long offers,
                        long requests, long acks, long naks, long declines, long releases, long informs,
                        long malformed, long conflicts, long unavailable, long exhausted, long rogueServers,
                        List<Lease> leases, List<Conflict> lastConflicts) {
    public DhcpStats {
        leases = List.copyOf(leases);
        lastConflicts = List.copyOf(lastConflicts);
    }

    /** No DHCP server on this site (rogue server replies are still dropped and counted). */
    public static DhcpStats off(long rogueServers) {
        return new DhcpStats(false, null, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, rogueServers, List.of(), List.of());
    }

    /** A lease: the address, the client's MAC, and the seconds left unless the client renews. */
    public record Lease(String ip, String mac, long secondsLeft) {
    }

    /** An address found in use by a host other than its lease holder (or declined by its client). */
    public record Conflict(String ip, String mac, String leasedTo, String what, long atMillis) {
    }
}
