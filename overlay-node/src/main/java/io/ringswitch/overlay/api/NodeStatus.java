package io.ringswitch.overlay.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.controller.api.DhcpStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one node, written as JSON to the status file once a second and read by
 * {@code lab status}, {@code crawl}, the demo and the tests. The one record every reader uses:
 * nobody reads the file by string paths.
 *
 * @param name           the node's name
 * @param pid            the node's process id, so that a reader can tell a dead node from a live one
 * @param writtenAtMillis wall-clock time the snapshot was taken (epoch ms), so that a reader can
 *                       tell a stale file; the only wall-clock figure of the node, for other processes
 * @param address        its ring address (40 hex digits)
 * @param connected      whether it has joined the ring
 * @param left           nearest neighbours counter-clockwise, nearest first (ring addresses)
 * @param right          nearest neighbours clockwise, nearest first
 * @param links          every link
 * @param remoteMacs     MAC addresses learned behind other sites
 * @param frames         the frame forwarder's counters
 * @param ring           the ring's counters
 * @param rejects        datagrams refused, by reason
 * @param dataPath       how frames move: transport, offloads, batching figures
 * @param controller     the switch controller's snapshot
 * @param security       link security: sessions, handshakes, and what was refused and why
 * @param multicast      multicast to member sites (the ring side; snooping and groups are in {@code controller})
 * @param nat            how this node is reached through NATs and firewalls: learned endpoints, relays
 * @param gateway        the full tunnel: this site as a gateway, or as a client and the gateway it chose;
 *                       null when neither (and in files written before issue 17)
 * @param dhtRecords     whether DHT records are signed (false in a plaintext lab) and what was refused; null in
 *                       files written before issue 18
 * @param certificate    the node's certificate and its renewal through the group server; null
 *                       without an identity (and in files written before issue 19)
 * @param revocations    the revocations the node holds and acts on; null without an identity
 * @param privateOverlay the public ring this node finds its private group's members through; null
 *                       for a node of no private overlay
 * @param dhtHoldings    the DHT values this node holds and publishes; null in files written before issue 20
 */
public record NodeStatus(String name, long pid, long writtenAtMillis, String address, boolean connected,
                         List<String> left, List<String> right, List<LinkStatus> links, int remoteMacs,
                         FrameStats frames, RingStats ring, Map<String, Long> rejects, DataPathStats dataPath,
                         ControllerStatus controller, SecurityStats security,
                         MulticastStats multicast, NatStats nat, GatewayStatus gateway, DhtRecordStats dhtRecords,
                         CertificateStatus certificate, RevocationStats revocations, PrivateOverlayStatus privateOverlay,
                         DhtHoldings dhtHoldings) {

    /** A snapshot without the DHT's holdings (files written before issue 20). */
    public NodeStatus(String name, long pid, long writtenAtMillis, String address, boolean connected, List<String> left,
                      List<String> right, List<LinkStatus> links, int remoteMacs, FrameStats frames, RingStats ring,
                      Map<String, Long> rejects, DataPathStats dataPath, ControllerStatus controller, SecurityStats security,
                      MulticastStats multicast, NatStats nat, GatewayStatus gateway, DhtRecordStats dhtRecords,
                      CertificateStatus certificate, RevocationStats revocations, PrivateOverlayStatus privateOverlay) {
        this(name, pid, writtenAtMillis, address, connected, left, right, links, remoteMacs, frames, ring, rejects, dataPath,
                controller, security, multicast, nat, gateway, dhtRecords, certificate, revocations, privateOverlay, null);
    }

    /** A snapshot without the revocations' section (a node without an identity, or files before issue 19's revocation). */
    public NodeStatus(String name, long pid, long writtenAtMillis, String address, boolean connected, List<String> left,
                      List<String> right, List<LinkStatus> links, int remoteMacs, FrameStats frames, RingStats ring,
                      Map<String, Long> rejects, DataPathStats dataPath, ControllerStatus controller, SecurityStats security,
                      MulticastStats multicast, NatStats nat, GatewayStatus gateway, DhtRecordStats dhtRecords,
                      CertificateStatus certificate) {
        this(name, pid, writtenAtMillis, address, connected, left, right, links, remoteMacs, frames, ring, rejects, dataPath,
                controller, security, multicast, nat, gateway, dhtRecords, certificate, null, null);
    }

    /** A snapshot without the private overlay's section (a node of no private overlay, or files before it). */
    public NodeStatus(String name, long pid, long writtenAtMillis, String address, boolean connected, List<String> left,
                      List<String> right, List<LinkStatus> links, int remoteMacs, FrameStats frames, RingStats ring,
                      Map<String, Long> rejects, DataPathStats dataPath, ControllerStatus controller, SecurityStats security,
                      MulticastStats multicast, NatStats nat, GatewayStatus gateway, DhtRecordStats dhtRecords,
                      CertificateStatus certificate, RevocationStats revocations) {
        this(name, pid, writtenAtMillis, address, connected, left, right, links, remoteMacs, frames, ring, rejects, dataPath,
                controller, security, multicast, nat, gateway, dhtRecords, certificate, revocations, null);
    }

    /**
     * What the node knows of revoked members (issue 19): the records it holds, the peers whose
     * sessions it closed because of one, the CRLs it fetched, and what it refused, by reason
     * ({@code revocation-forged}, {@code crl-bad-signature}, {@code crl-unreachable}, ...); and the
     * last CRL it took (issue 20): its number (-1 when none was taken or it had none), when it was
     * issued and when it was fetched (ISO-8601, null before the first), so that a reader sees its age.
     */
    public record RevocationStats(int revocations, long revokedPeersClosed, long crlsFetched, Map<String, Long> refused,
                                  long crlNumber, String crlIssued, String crlFetched) {
        /** Revocations without the last CRL's figures (files written before issue 20). */
        public RevocationStats(int revocations, long revokedPeersClosed, long crlsFetched, Map<String, Long> refused) {
            this(revocations, revokedPeersClosed, crlsFetched, refused, -1, null, null);
        }
    }

    /**
     * A private overlay's view (issue 19): the node's ring is its group's, and it finds the group's
     * other members through a public ring of which it is a member too.
     *
     * @param key            the public ring's DHT key the group meets under, {@code private:GROUP:CA}
     * @param publicAddress  this node's address on the public ring (not its private ring address)
     * @param publicJoined   whether it has joined the public ring
     * @param publicLinks    its links on the public ring
     * @param publicLeft     its two nearest neighbours on the public ring, left (for the public ring's crawl)
     * @param publicRight    its two nearest neighbours on the public ring, right
     * @param published      the private ring endpoints it published there
     * @param publications   records it published (sealed anew each time)
     * @param publishFailures publications that failed: no answer, the key full (eight members publish), or
     *                       its record too large for the public record around it (long names)
     * @param reads          reads of the group's records answered
     * @param members        the members whose records the last read found, "ADDRESS [ENDPOINTS]", each verified
     *                       against the group's CA
     * @param bootstraps     the endpoints its private ring joins through: its config's and those found
     * @param refused        records under the group's key refused, by reason (not-a-member: another CA's)
     */
    public record PrivateOverlayStatus(String key, String publicAddress, boolean publicJoined, int publicLinks,
                                       List<String> publicLeft, List<String> publicRight,
                                       List<String> published, long publications, long publishFailures, long reads,
                                       List<String> members,
                                       List<String> bootstraps, Map<String, Long> refused) {
    }

    /** A snapshot without the certificate's section (a node without an identity, or files before issue 19). */
    public NodeStatus(String name, long pid, long writtenAtMillis, String address, boolean connected, List<String> left,
                      List<String> right, List<LinkStatus> links, int remoteMacs, FrameStats frames, RingStats ring,
                      Map<String, Long> rejects, DataPathStats dataPath, ControllerStatus controller, SecurityStats security,
                      MulticastStats multicast, NatStats nat, GatewayStatus gateway, DhtRecordStats dhtRecords) {
        this(name, pid, writtenAtMillis, address, connected, left, right, links, remoteMacs, frames, ring, rejects, dataPath,
                controller, security, multicast, nat, gateway, dhtRecords, null, null, null);
    }

    /** A snapshot without the DHT records' section (as written before issue 18's signed records). */
    public NodeStatus(String name, long pid, long writtenAtMillis, String address, boolean connected, List<String> left,
                      List<String> right, List<LinkStatus> links, int remoteMacs, FrameStats frames, RingStats ring,
                      Map<String, Long> rejects, DataPathStats dataPath, ControllerStatus controller, SecurityStats security,
                      MulticastStats multicast, NatStats nat, GatewayStatus gateway) {
        this(name, pid, writtenAtMillis, address, connected, left, right, links, remoteMacs, frames, ring, rejects, dataPath,
                controller, security, multicast, nat, gateway, null);
    }

    /**
     * The node's certificate and its renewal (issue 19).
     *
     * @param notAfter  when the certificate in use expires (ISO-8601)
     * @param state     {@code valid} (renewed on time or not due), {@code renewal-failing} (the last
     *                  try failed: the node keeps working until {@code notAfter}), {@code expired},
     *                  or {@code not-renewed} (no group server in the config)
     * @param renewals  certificates renewed since start
     * @param failures  renewal tries that failed since start
     * @param lastError what the last failed try said, or null
     * @param expiresInSeconds seconds until {@code notAfter} (0 once expired)
     * @param nextRenewal      when the next renewal try is due (ISO-8601), or null when none is
     *                         (no group server, or expired)
     * @param lastRenewed      when the certificate was last renewed (ISO-8601), or null
     * @param failingSince     when the tries that have failed in a row began (ISO-8601), or null
     */
    public record CertificateStatus(String notAfter, String state, long renewals, long failures, String lastError,
                                    long expiresInSeconds, String nextRenewal, String lastRenewed, String failingSince) {
        /** A status without the renewal's timing (as written before the renewal schedule). */
        public CertificateStatus(String notAfter, String state, long renewals, long failures, String lastError) {
            this(notAfter, state, renewals, failures, lastError, 0, null, null, null);
        }
    }

    /**
     * The DHT's records: {@code signed} false in a plaintext lab, where values are bare bytes that
     * any node may replace; otherwise the records refused, by reason ({@code bad-signature},
     * {@code not-a-member}, {@code future-timestamp}, {@code not-owner}, ...), and the reads whose
     * two replicas held no record in common.
     */
    public record DhtRecordStats(boolean signed, Map<String, Long> refused, long replicaDisagreements) {
    }

    /** A snapshot without the full tunnel's section (a split-tunnel site that is no gateway). */
    public NodeStatus(String name, long pid, long writtenAtMillis, String address, boolean connected, List<String> left,
                      List<String> right, List<LinkStatus> links, int remoteMacs, FrameStats frames, RingStats ring,
                      Map<String, Long> rejects, DataPathStats dataPath, ControllerStatus controller, SecurityStats security,
                      MulticastStats multicast, NatStats nat) {
        this(name, pid, writtenAtMillis, address, connected, left, right, links, remoteMacs, frames, ring, rejects, dataPath,
                controller, security, multicast, nat, null, null);
    }

    /** The site's DHCP server (the controller runs it): leases, messages, conflicts. */
    public DhcpStats dhcp() {
        return controller.dhcp();
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One link of the ring.
     *
     * @param address   the peer's ring address
     * @param path      how the peer is reached, e.g. {@code udp:192.0.2.1:5800}, {@code relay:ab12cd34>9f8e7d6c}
     * @param kind      the path's kind: {@code udp}, {@code tcp} or {@code relay}
     * @param claims    who holds the link: {@code near}, {@code shortcut}, {@code join}, {@code peer}
     * @param rttMillis last measured round trip, -1 while unknown
     * @param bytesIn    bytes of ring messages and frames that came over the link (before the link layer's
     *                   envelope and seal; the relay's own bytes not counted)
     * @param bytesOut   the same, that left over the link
     * @param recordsIn  ring messages and frames that came over the link (each segment of a super-frame one)
     * @param recordsOut the same, that left over the link
     * @param ageSeconds how long the link has been up
     */
    public record LinkStatus(String address, String path, String kind, List<String> claims, long rttMillis,
                             long bytesIn, long bytesOut, long recordsIn, long recordsOut, long ageSeconds) {
        /** A link without its traffic (files written before issue 20). */
        public LinkStatus(String address, String path, String kind, List<String> claims, long rttMillis) {
            this(address, path, kind, claims, rttMillis, 0, 0, 0, 0, 0);
        }
    }

    /**
     * The DHT as held by this node (issue 20): what it keeps for others and what it publishes itself.
     *
     * @param held      values this node holds as one of their replicas, over all keys
     * @param keys      the keys those values are under
     * @param published values this node keeps published (put again before their time to live runs out):
     *                  its hosts' addresses and MACs, multicast memberships, leases, a gateway's record
     */
    public record DhtHoldings(int held, int keys, int published) {
    }

    /**
     * What the frame forwarder counted.
     *
     * @param direct         frames from the port sent straight to a linked site (no copy); the rest
     *                       of the unicast frames are routed over the ring
     * @param superFrames    TCP super-frames the port handed over (offloads on), each cut into segments
     * @param unsegmentable  super-frames that could not be cut (not TCP, or headers this node does not read)
     * @param tcpTooBigAnswered plain (not GSO) TCP segments larger than the overlay carries, answered by
     *                       the node with ICMP "fragmentation needed" or ICMPv6 "packet too big" (path MTU
     *                       discovery for hosts left at MTU 1500 without TSO; only the node sees the GSO flag)
     * @param oversizedRefused IP frames larger than the overlay carries that reached the node and were
     *                       dropped: not TCP (the switch controller answers those with ICMP "fragmentation
     *                       needed" or ICMPv6 "packet too big" before they reach the overlay port), so 0
     *                       while the controller works
     * @param superFramesRecut TCP super-frames whose segment size was lowered to what the overlay carries,
     *                       and single TCP segments larger than it without DF, cut
     * @param arpMalformed   ARP frames that are not IPv4 over Ethernet of full length, dropped (from
     *                       the port or from the ring)
     * @param arpRequestsFromPort ARP requests the bridge handed the overlay port (for addresses its
     *                       responder flows do not know; those it knows never reach the node)
     * @param unswitchedTooBigAnswered oversized UDP/ICMP (IPv4 with DF, IPv6) that reached the node
     *                       without passing the switch's size check (the full tunnel's steering flows
     *                       send frames straight to the overlay port), answered by the node as a router
     *                       would; 0 for switched traffic, which the controller answers
     */
    public record FrameStats(long fromPort, long toPort, long direct, long superFrames, long unsegmentable, long floods,
                             long portWriteDrops, long runts, long groupSourceDropped, long tcpTooBigAnswered,
                             long oversizedRefused, long superFramesRecut, long arpMalformed, long arpRequestsFromPort,
                             long unswitchedTooBigAnswered) {
        /** The figures of a node that answers no unswitched too-big packet (tests, older status files). */
        public FrameStats(long fromPort, long toPort, long direct, long superFrames, long unsegmentable, long floods,
                          long portWriteDrops, long runts, long groupSourceDropped, long tcpTooBigAnswered,
                          long oversizedRefused, long superFramesRecut, long arpMalformed, long arpRequestsFromPort) {
            this(fromPort, toPort, direct, superFrames, unsegmentable, floods, portWriteDrops, runts, groupSourceDropped,
                    tcpTooBigAnswered, oversizedRefused, superFramesRecut, arpMalformed, arpRequestsFromPort, 0);
        }
    }

    /**
     * How the node moves frames.
     *
     * @param transport      {@code epoll} (recvmmsg, GRO) or {@code nio}
     * @param gso            whether segments leave in one UDP GSO send
     * @param tapOffloads    whether the TAP device hands over super-frames (virtio-net header, TSO)
     * @param segmentsJoined received TCP segments joined into super-frames before the TAP write
     * @param tapWrites      writes to the TAP device through the joiner
     * @param tapWriteDrops  of those, refused by the kernel
     * @param tapStalls      times the TAP reader left frames waiting so that the event loop could serve
     *                       others (its read budget spent on the loop, or its hand-off full when threaded)
     * @param tapQueueDrops  frames the TAP device dropped because its queue to the reader was full (the
     *                       kernel's TX drops: the node was late, and never saw them)
     */
    public record DataPathStats(String transport, boolean gso, boolean tapOffloads, long segmentsJoined, long tapWrites,
                                long tapWriteDrops, long tapStalls, long tapQueueDrops) {
    }

    /** What the ring counted (see the ring's counters for the meaning of each). */
    public record RingStats(long sent, long originated, long delivered, long forwarded, long relayed, long noRoute,
                            long ttlExpired, long hopLimitAbuse, long hopRetries, long retriesExhausted,
                            long fromStranger, long malformed, long unknownPayload, long linksUp, long linksDown,
                            long linksTrimmed, long linksDead, long linksClosedByPeer, long linksRefused,
                            long linksAccepted, long connectsAnswered, long connectsAlreadyLinked, long selfLookups,
                            long broadcastsOriginated, long broadcastsDelivered, long broadcastDuplicates,
                            long onDemandRequested) {
    }

    /**
     * Link security.
     *
     * @param encrypted   whether links are authenticated and encrypted (the node has an identity)
     * @param group       the group named by the node's certificate, empty without one
     * @param sessions    peers with an established session
     * @param handshakes  handshakes completed (first links and renewals)
     * @param rekeys      sessions renewed on time or volume
     * @param cookiesSent cookie replies sent to handshakes while under load
     * @param refused     handshakes and records refused, by reason (e.g. {@code certificate-expired},
     *                    {@code record-forged}, {@code unauthenticated})
     * @param lastRefused the most recent refused handshakes and the newest of each reason, oldest first
     * @param ciphers     peers' newest sessions by record cipher ({@code AES_256_GCM}, or
     *                    {@code CHACHA20_POLY1305} where a CPU lacks AES instructions)
     */
    public record SecurityStats(boolean encrypted, String group, int sessions, long handshakes, long rekeys,
                                long cookiesSent, Map<String, Long> refused, List<Refusal> lastRefused,
                                Map<String, Integer> ciphers) {

        /** Security off: a node without an identity. */
        public static SecurityStats plaintext() {
            return new SecurityStats(false, "", 0, 0, 0, 0, Map.of(), List.of(), Map.of());
        }

        /** Refusals with a reason starting with {@code prefix}. */
        public long refused(String prefix) {
            return refused.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
        }
    }

    /**
     * One refused handshake.
     *
     * @param from   the underlay endpoint it came from
     * @param peer   the ring address its certificate claimed, empty when it got no further
     * @param reason the counter it went to
     * @param detail what failed, in words
     */
    public record Refusal(String from, String peer, String reason, String detail, long atMillis) {
    }

    /**
     * The ring side of multicast (membership and per-port pruning are the switch controller's).
     *
     * @param groups           IP groups sent to lately
     * @param framesToMembers  frames sent to the sites with members
     * @param copiesSent       copies those took (one per member site)
     * @param held             frames held while the member sites were looked up
     * @param heldDropped      frames dropped because too many were held
     * @param droppedNoMembers frames for a group no other site has members of
     * @param toEverySite      frames sent to every site (members unknown, or too many to list)
     * @param fromRing         IP multicast frames (not link-local) that came from the ring for the bridge
     */
    public record MulticastStats(int groups, long framesToMembers, long copiesSent, long held, long heldDropped,
                                 long droppedNoMembers, long toEverySite, long fromRing) {
    }

    /**
     * Reaching and being reached through NATs and firewalls.
     *
     * @param publicEndpoints endpoints authenticated peers saw this node's datagrams come from
     * @param mapping         {@code none} (seen as bound), {@code consistent} (one public endpoint
     *                        for every peer), {@code varies} (a port per peer: symmetric NAT), or
     *                        {@code unknown}
     * @param tcpOnly         whether this node reaches others over TCP only (UDP never answered)
     * @param keepalivesSent  keepalives sent to hold NAT mappings open
     * @param roamed          sessions moved to a new endpoint of their peer (its mapping changed)
     * @param probesLimited   probes to endpoints no authenticated peer confirmed, held back (no reflection)
     * @param relayedForOthers records this node passed on as a relay
     */
    public record NatStats(List<String> publicEndpoints, String mapping, boolean tcpOnly, long keepalivesSent,
                           long roamed, long probesLimited, long relayedForOthers) {
        public static NatStats unknown() {
            return new NatStats(List.of(), "unknown", false, 0, 0, 0, 0);
        }
    }

    /** All datagrams refused, whatever the reason. */
    public long rejectedDatagrams() {
        return rejects.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Writes the snapshot to {@code file} atomically (a reader never sees half a file), readable by
     * the owner and its group only, replacing a link planted there instead of writing through it.
     */
    public void write(Path file) throws IOException {
        io.ringswitch.overlay.security.LocalFiles.write(file, JSON.writeValueAsBytes(this),
                io.ringswitch.overlay.security.LocalFiles.GROUP_READABLE);
    }

    /** Reads a status file; empty when it is missing or unreadable (a node that never wrote one). */
    public static Optional<NodeStatus> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), NodeStatus.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
