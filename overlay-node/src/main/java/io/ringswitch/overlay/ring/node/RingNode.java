package io.ringswitch.overlay.ring.node;

import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.Periodic;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtCounters;
import io.ringswitch.overlay.ring.dht.DhtConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.link.Liveness;
import io.ringswitch.overlay.ring.link.MessageDispatcher;
import io.ringswitch.overlay.ring.link.ProbeLimiter;
import io.ringswitch.overlay.ring.link.PublicEndpoints;
import io.ringswitch.overlay.ring.link.RingTransport;
import io.ringswitch.overlay.ring.maintenance.Maintenance;
import io.ringswitch.overlay.ring.message.ConnectCodec;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.Broadcaster;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.ring.routing.SourceAuthentication;
import io.ringswitch.overlay.ring.routing.PayloadRegistry;
import io.ringswitch.overlay.ring.routing.RoutedObserver;
import io.ringswitch.overlay.ring.routing.Router;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One node of the structured ring, as its users see it: start, stop, send, broadcast, register a
 * protocol, and hand it what arrives. It only wires the parts, each of which owns one job:
 * the {@link LinkTable links}, {@link LinkEstablisher making links}, {@link Liveness keeping them
 * alive}, the {@link MessageDispatcher door} every message passes, the {@link Router router} and
 * {@link Broadcaster broadcast}, the {@link Maintenance parts that decide which links to hold}, and the
 * {@link Dht DHT}.
 * All state is touched from the one thread that drives the node (its event loop, or the
 * simulator), on the injected clock.
 */
public final class RingNode {
    private final Contact self;
    private final RingConfig config;
    private final Scheduler scheduler;
    private final Random random;
    private final NodeMetrics metrics;
    private final RingCounters counters;
    private final LinkTable table;
    private final PublicEndpoints endpoints;
    private final LinkEstablisher establisher;
    private final Liveness liveness;
    private final MessageDispatcher dispatcher;
    private final PayloadRegistry payloads;
    private final Router router;
    private final Broadcaster broadcaster;
    private final Maintenance maintenance;
    private final Dht dht;
    private final LinkPaths paths;
    private Consumer<RingMessage.Routed> undeliverable = m -> { };
    private Periodic livenessRounds;
    private boolean running;

    public RingNode(Contact self, RingConfig config, Scheduler scheduler, RingTransport transport, Random random) {
        this(self, config, DhtConfig.defaults(), scheduler, transport, random);
    }

    /** A node whose DHT has its own tunables (replicas, limits), counting in a registry of its own. */
    public RingNode(Contact self, RingConfig config, DhtConfig dhtConfig, Scheduler scheduler, RingTransport transport,
                    Random random) {
        this(self, config, dhtConfig, scheduler, transport, random, NodeMetrics.inProcess());
    }

    /** A node that counts in {@code metrics}, the registry its process serves and its status reads. */
    public RingNode(Contact self, RingConfig config, DhtConfig dhtConfig, Scheduler scheduler, RingTransport transport,
                    Random random, NodeMetrics metrics) {
        this.metrics = metrics;
        this.counters = new RingCounters(metrics);
        this.self = self;
        this.config = config;
        this.scheduler = scheduler;
        this.random = random;
        this.table = new LinkTable(self, config, scheduler, transport, counters);
        this.endpoints = new PublicEndpoints(self.endpoint(), scheduler);
        table.addListener(endpoints);
        this.establisher = new LinkEstablisher(table, endpoints, new ProbeLimiter(table, endpoints, scheduler));
        this.liveness = new Liveness(table, endpoints, random);
        this.dispatcher = new MessageDispatcher(table, establisher);
        this.payloads = new PayloadRegistry(counters);
        this.router = new Router(table, random, payloads, m -> undeliverable.accept(m));
        this.broadcaster = new Broadcaster(table, random, payloads);
        this.maintenance = new Maintenance(table, establisher, router, payloads, random);
        this.dht = new Dht(table, router, payloads, random, dhtConfig, new DhtCounters(metrics));
        this.paths = new LinkPaths(table, scheduler, config, counters);
        establisher.attach(maintenance);
        endpoints.onMoved(maintenance::endpointMoved);
        liveness.attach(maintenance);
        dispatcher.register(RingMessage.Ping.class, liveness::onPing);
        dispatcher.register(RingMessage.Pong.class, liveness::onPong);
        dispatcher.register(RingMessage.Close.class, liveness::onClose);
        dispatcher.register(RingMessage.Status.class, maintenance::onStatus);
        dispatcher.register(RingMessage.Routed.class, router::onRouted);
        dispatcher.register(RingMessage.HopAck.class, router::onHopAck);
        dispatcher.register(RingMessage.Broadcast.class, broadcaster::onBroadcast);
    }

    /**
     * The member at {@code address} was revoked (issue 19): its link goes at once and the DHT
     * drops what it published. Its messages are refused from now on by the source check.
     */
    public void revoked(RingAddress address) {
        Link link = table.get(address);
        if (link != null) {
            table.remove(link, "revoked");
        }
        dht.forgetPublisher(address);
    }

    /** Registers the protocol that takes routed messages and broadcasts of {@code payloadType}. */
    public void register(int payloadType, PayloadHandler handler) {
        payloads.register(payloadType, handler);
    }

    /**
     * How routed messages and broadcasts prove their source (secure nodes: signatures by the
     * certificate's key); set before {@link #start}. Plaintext rings keep {@link SourceAuthentication#NONE}.
     */
    public void authenticate(SourceAuthentication sources) {
        router.authentication(sources);
        broadcaster.authentication(sources);
    }

    /** A diagnostic hook on the router's forwarded and delivered messages (tests only, see {@link RoutedObserver}). */
    public void observeRouted(RoutedObserver observer) {
        router.observe(observer);
    }

    /** Told of routed messages that end at this node without reaching their destination (payload still wrapped). */
    public void onUndeliverable(Consumer<RingMessage.Routed> handler) {
        this.undeliverable = handler;
    }

    /**
     * Starts the node. With no bootstrap endpoint (other than itself) it is the first node of a new
     * ring; otherwise it joins through one of them, retrying until one answers.
     */
    public void start(List<InetSocketAddress> bootstrapEndpoints) {
        start(bootstrapEndpoints, List.of());
    }

    /**
     * Starts the node; {@code formerNear} are the near neighbours it had before a restart (same
     * address), asked for their links back before any join through a bootstrap node.
     */
    public void start(List<InetSocketAddress> bootstrapEndpoints, List<Contact> formerNear) {
        running = true;
        dht.start();
        maintenance.start(bootstrapEndpoints, formerNear);
        livenessRounds = Periodic.start(scheduler, random.nextInt((int) config.tickMillis()) + 1, config.tickMillis(),
                () -> {
                    liveness.tick();
                    establisher.expire();
                });
    }

    /**
     * Endpoints to join through from now on: a node with no link at all tries them at its next
     * status round (a private overlay's members, found in a public ring's DHT, issue 19).
     */
    public void addBootstraps(List<InetSocketAddress> endpoints) {
        maintenance.addBootstraps(endpoints);
    }

    /** The endpoints this node joins through when it has no link: its config's and those added since. */
    public List<InetSocketAddress> bootstraps() {
        return maintenance.bootstraps();
    }

    /** Stops the node; a graceful stop tells every neighbour (and hands them its own neighbours). */
    public void stop(boolean graceful) {
        if (graceful && running) {
            List<Contact> near = table.nearContacts();
            for (Link link : table.view()) {
                table.send(link, new RingMessage.Close(self.address(), near));
            }
        }
        running = false;
        dht.stop();
        maintenance.stop();
        if (livenessRounds != null) {
            livenessRounds.stop();
        }
        router.clear();
        establisher.clear();
        table.removeAll();
    }

    /** One message from the underlay, arrived over {@code from}. */
    public void onMessage(PeerPath from, RingMessage message) {
        if (running) {
            dispatcher.dispatch(from, message);
        }
    }

    /**
     * Sends a payload over the ring. {@code EXACT} delivers only at {@code dst}; {@code NEAREST}
     * at the node nearest to it. Reliable messages are acknowledged hop by hop and re-routed around
     * a hop that does not answer.
     */
    public void send(RingAddress dst, RoutingMode mode, int payloadType, byte[] payload, boolean reliable) {
        router.send(dst, mode, payloadType, payload, reliable);
    }

    /** Sends a payload to every node of the ring, each exactly once when the ring is consistent. */
    public void broadcast(int payloadType, byte[] payload) {
        broadcaster.broadcast(payloadType, payload);
    }

    /** The DHT on this ring: get, put and create-if-absent of values with a time to live. */
    public Dht dht() {
        return dht;
    }

    public Contact self() {
        return self;
    }

    public RingAddress address() {
        return self.address();
    }

    public boolean isRunning() {
        return running;
    }

    /**
     * Tells the ring a frame for {@code site} left, directly or routed: frames to a site passing a
     * threshold get it an on-demand link ({@code Claim.TRAFFIC}), let go when they stop.
     */
    public void frameTo(RingAddress site) {
        maintenance.frameTo(site);
    }

    /** The near neighbours this node holds links to, with their endpoints. */
    public List<Contact> nearContacts() {
        return table.nearContacts();
    }

    /** True once the node is part of a ring (see {@link LinkTable#joined}). */
    public boolean isConnected() {
        return table.joined();
    }

    /** The registry this node counts in (the node's, or one of its own). */
    public NodeMetrics metrics() {
        return metrics;
    }

    public RingCounters counters() {
        return counters;
    }

    public List<Contact> rightNeighbours(int n) {
        return table.right(n);
    }

    public List<Contact> leftNeighbours(int n) {
        return table.left(n);
    }

    /** The routable links in clockwise order. */
    public List<Link> links() {
        return List.of(table.clockwise());
    }

    public int linkCount() {
        return table.size();
    }

    public double estimatedSize() {
        return table.estimatedSize();
    }

    public int nearPerSide() {
        return table.nearPerSide();
    }

    /** The link to {@code peer}, or {@code null}. */
    public Link link(RingAddress peer) {
        return table.get(peer);
    }

    /** The link over {@code path}, or {@code null}: who sent what arrived there. */
    public Link linkAt(PeerPath path) {
        return table.at(path);
    }

    /** The path of a direct, routable link to {@code site} that is not suspect, or null: see {@link LinkPaths#directPath}. */
    public PeerPath directPath(RingAddress site) {
        return paths.directPath(site);
    }

    /** The path of a direct link that frames for {@code site} take, or null: see {@link LinkPaths#framePath}. */
    public PeerPath framePath(RingAddress site) {
        return paths.framePath(site);
    }

    /** Whether this node relays sealed records from {@code from} to {@code to}: see {@link LinkPaths#mayRelay}. */
    public boolean mayRelay(RingAddress from, RingAddress to) {
        return paths.mayRelay(from, to);
    }

    /**
     * True when this node gets no UDP through at all while TCP works (a firewall that blocks UDP):
     * it dials TCP to every peer, and peers it cannot dial are reached through relays.
     */
    public boolean tcpOnly() {
        return establisher.tcpOnly();
    }

    /** {@code peer} is now reached by {@code path}; false when its link does not move: see {@link LinkPaths#pathChanged}. */
    public boolean pathChanged(RingAddress peer, PeerPath path) {
        return paths.pathChanged(peer, path);
    }

    /**
     * The endpoints authenticated peers saw this node's datagrams come from (NAT traversal), as
     * they agree on them ({@link PublicEndpoints#learned}); empty while unknown. Without a NAT, the
     * bound endpoint.
     */
    public List<InetSocketAddress> publicEndpoints() {
        return endpoints.learned();
    }

    /** What this node advertises in its CONNECTs: the bound endpoint, then the learned ones. */
    public List<InetSocketAddress> advertisedEndpoints() {
        return endpoints.advertised(ConnectCodec.MAX_ENDPOINTS);
    }

    /** How this node's NAT maps it: {@code none}, {@code consistent}, {@code varies} or {@code unknown}. */
    public String natMapping() {
        return endpoints.mapping().toString();
    }

    /** Probes to endpoints that no authenticated peer confirmed, held back (no reflection). */
    public long probesLimited() {
        return establisher.probes().limited();
    }

    /** Link requests of this node awaiting a reply. */
    public int pendingLinks() {
        return establisher.pendingCount();
    }

    /** The limiter every probe of this node passes. */
    public ProbeLimiter probeLimiter() {
        return establisher.probes();
    }

    /** This node's view for the crawl. */
    public Crawl.NodeView view() {
        return new Crawl.NodeView(address(), leftNeighbours(2).stream().map(Contact::address).toList(),
                rightNeighbours(2).stream().map(Contact::address).toList());
    }
}
