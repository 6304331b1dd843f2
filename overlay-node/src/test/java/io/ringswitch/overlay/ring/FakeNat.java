package io.ringswitch.overlay.ring;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * What stands between each node of a {@link FakeRingNetwork} and the others, as the NAT lab builds
 * it with nftables (issue 10 plan, section 2): nothing ({@link Kind#OPEN}), a masquerading router
 * that keeps the node's port for every destination ({@link Kind#PORT_PRESERVING}) or takes a new
 * one per destination ({@link Kind#RANDOM}, a symmetric NAT), or a firewall without NAT that lets
 * in only what answers what the node sent ({@link Kind#FIREWALLED}). The NATs filter like Linux
 * masquerade: a datagram gets in only from the exact endpoint the mapping sent to, and only for
 * {@value #TIMEOUT_MILLIS} ms after the last datagram out to it (conntrack's UDP timeout). A node behind
 * a NAT is bound to a private endpoint nobody outside reaches; its public address is 100.64.x.y
 * for the bound 10.0.x.y. Nodes the model does not know are open.
 * <p>
 * {@link Kind#UDP_BLOCKED} is a NAT whose firewall drops every datagram (a corporate network):
 * only TCP connections its node opens get out. TCP, as {@link FakeRingNetwork} models it, reaches
 * only open nodes; a connection once open carries both ways.
 */
public final class FakeNat {
    /** A node's edge, as {@code LabSpec}'s {@code SiteEdge} names them. */
    public enum Kind { OPEN, PORT_PRESERVING, RANDOM, FIREWALLED, UDP_BLOCKED }

    private static final class Edge {
        final Kind kind;
        final InetSocketAddress bound;
        final InetAddress publicIp;
        /** The external port of a port-preserving NAT (the bound one until it rebinds). */
        int port;
        /** Endpoints the node sent to, and when last: what the filter lets in. */
        final Map<InetSocketAddress, Long> sentTo = new HashMap<>();
        /** A random NAT's port per destination, and the way back. */
        final Map<InetSocketAddress, Integer> portFor = new HashMap<>();
        final Map<Integer, InetSocketAddress> destinationOf = new HashMap<>();

        Edge(Kind kind, InetSocketAddress bound, InetAddress publicIp) {
            this.kind = kind;
            this.bound = bound;
            this.publicIp = publicIp;
            this.port = bound.getPort();
        }

        boolean natted() {
            return kind == Kind.PORT_PRESERVING || kind == Kind.RANDOM || kind == Kind.UDP_BLOCKED;
        }
    }

    /** How long an outbound datagram lets answers in (Linux: nf_conntrack_udp_timeout, 30 s). */
    public static final long TIMEOUT_MILLIS = 30_000;

    private final Scheduler clock;
    private final Map<InetSocketAddress, Edge> byBound = new HashMap<>();
    private final Map<InetAddress, Edge> byPublicIp = new HashMap<>();
    private int nextPort = 30_000;
    private int nextTcpPort = 50_000;
    /** Datagrams a filter refused. */
    public int dropped;

    public FakeNat(Scheduler clock) {
        this.clock = clock;
    }

    /** Puts the node bound to {@code bound} behind an edge of {@code kind} (a new edge: no mapping survives). */
    public void place(InetSocketAddress bound, Kind kind) {
        Edge before = byBound.remove(bound);
        if (before != null) {
            byPublicIp.remove(before.publicIp);
        }
        byte[] ip = bound.getAddress().getAddress();
        InetAddress publicIp;
        try {
            publicIp = InetAddress.getByAddress(new byte[] {100, 64, ip[2], ip[3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        Edge edge = new Edge(kind, bound, publicIp);
        byBound.put(bound, edge);
        if (edge.natted()) {
            byPublicIp.put(publicIp, edge);
        }
    }

    public Kind kind(InetSocketAddress bound) {
        Edge edge = byBound.get(bound);
        return edge == null ? Kind.OPEN : edge.kind;
    }

    /** The endpoint others see a port-preserving node at (its bound one for open and firewalled nodes). */
    public InetSocketAddress publicEndpoint(InetSocketAddress bound) {
        Edge edge = byBound.get(bound);
        return edge == null || !edge.natted() ? bound : new InetSocketAddress(edge.publicIp, edge.port);
    }

    /**
     * The node's NAT lost its mapping and made a new one on another port (a conntrack entry that
     * expired, a router that restarted): what it let in before no longer gets in.
     */
    public void rebind(InetSocketAddress bound) {
        Edge edge = byBound.get(bound);
        edge.port = nextPort++;
        edge.sentTo.clear();
        edge.portFor.clear();
        edge.destinationOf.clear();
    }

    /** Does a TCP connection to {@code to} get in? Only to open nodes (no port forwarding on any NAT here). */
    public boolean acceptsTcp(InetSocketAddress to) {
        Edge edge = byBound.get(to);
        return byPublicIp.get(to.getAddress()) == null && (edge == null || edge.kind == Kind.OPEN);
    }

    /** The source address of a new TCP connection from the node bound to {@code from}: an ephemeral port of its public address. */
    public InetSocketAddress tcpSource(InetSocketAddress from) {
        Edge edge = byBound.get(from);
        InetAddress ip = edge == null || !edge.natted() ? from.getAddress() : edge.publicIp;
        return new InetSocketAddress(ip, nextTcpPort++);
    }

    /**
     * The source a datagram from {@code from} to {@code to} carries once past the sender's edge,
     * {@code null} when the edge drops it (UDP blocked).
     */
    public InetSocketAddress outbound(InetSocketAddress from, InetSocketAddress to) {
        Edge edge = byBound.get(from);
        if (edge == null || edge.kind == Kind.OPEN) {
            return from;
        }
        if (edge.kind == Kind.UDP_BLOCKED) {
            dropped++;
            return null;
        }
        edge.sentTo.put(to, clock.nowMillis());
        if (edge.kind == Kind.RANDOM) {
            int port = edge.portFor.computeIfAbsent(to, d -> nextPort++);
            edge.destinationOf.put(port, to);
            return new InetSocketAddress(edge.publicIp, port);
        }
        return edge.kind == Kind.FIREWALLED ? from : new InetSocketAddress(edge.publicIp, edge.port);
    }

    /**
     * The bound endpoint a datagram from {@code source} (as it left its sender's edge) to
     * {@code to} reaches, or {@code null} when the receiver's edge drops it.
     */
    public InetSocketAddress inbound(InetSocketAddress source, InetSocketAddress to) {
        Edge nat = byPublicIp.get(to.getAddress());
        if (nat != null) {
            boolean mapped = nat.kind == Kind.RANDOM ? source.equals(nat.destinationOf.get(to.getPort()))
                    : to.getPort() == nat.port;
            return mapped && answers(nat, source) ? nat.bound : refuse();
        }
        Edge edge = byBound.get(to);
        if (edge == null || edge.kind == Kind.OPEN) {
            return to;
        }
        if (edge.natted()) {
            // A private endpoint: nobody outside the NAT reaches it.
            return refuse();
        }
        return answers(edge, source) ? to : refuse();
    }

    private boolean answers(Edge edge, InetSocketAddress source) {
        Long last = edge.sentTo.get(source);
        return last != null && clock.nowMillis() - last <= TIMEOUT_MILLIS;
    }

    private InetSocketAddress refuse() {
        dropped++;
        return null;
    }
}
