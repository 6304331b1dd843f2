package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.Periodic;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkEvents;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.routing.PayloadRegistry;
import io.ringswitch.overlay.ring.routing.Router;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;

/**
 * The parts that decide which links a node holds: joining, near neighbours, Symphony shortcuts
 * and trimming, each with its own timer. It is the link layer's admission policy: near links are
 * accepted whenever they would be near; {@code maxLinks} and the inbound shortcut budget bound the
 * others, and a node still joining serves as nobody's bootstrap.
 */
public final class Maintenance implements LinkEvents {
    private final LinkTable table;
    private final RingConfig config;
    private final Random random;
    private final LinkEstablisher establisher;
    private final ConnectService connect;
    private final Joiner joiner;
    private final NearNeighbours near;
    private final Shortcuts shortcuts;
    private final Trimmer trimmer;
    private final OnDemandLinks onDemand;
    private final Relays relays;
    private long lastMovedPunch = Long.MIN_VALUE / 2;
    private Periodic statusRounds;
    private Periodic shortcutRounds;

    public Maintenance(LinkTable table, LinkEstablisher establisher, Router router, PayloadRegistry payloads,
                       Random random) {
        this.table = table;
        this.config = table.config();
        this.random = random;
        this.establisher = establisher;
        this.relays = new Relays(table, establisher, random);
        this.connect = new ConnectService(table, establisher, router, random, this::inboundShortcutsFull, this::candidates,
                relays);
        relays.attach(connect);
        this.joiner = new Joiner(table, establisher, random);
        this.near = new NearNeighbours(table, establisher, connect, random);
        this.shortcuts = new Shortcuts(table, random, connect);
        this.trimmer = new Trimmer(table);
        this.onDemand = new OnDemandLinks(table, connect);
        payloads.register(PayloadTypes.CONNECT, connect);
        payloads.register(PayloadTypes.CONNECT_REPLY, connect::replyDelivered);
        table.addListener(new LinkTable.Listener() {
            @Override
            public void linkUp(Link link) {
            }

            @Override
            public void linkDown(Link link) {
                near.linkDown(link);
                shortcuts.linkDown(link);
                relays.linkDown(link);
            }
        });
    }

    public void start(List<InetSocketAddress> bootstraps, List<Contact> formerNear) {
        near.start();
        joiner.start(bootstraps, formerNear);
        statusRounds = Periodic.start(table.scheduler(), random.nextInt((int) config.statusMillis()),
                config.statusMillis(), this::statusRound);
        shortcutRounds = Periodic.start(table.scheduler(), config.shortcutMillis(), config.shortcutMillis(),
                shortcuts::maintain);
    }

    /** Endpoints to join through from now on, when this node has no link (see {@link Joiner#addBootstraps}). */
    public void addBootstraps(List<InetSocketAddress> endpoints) {
        joiner.addBootstraps(endpoints);
    }

    /** The endpoints this node joins through when it has no link. */
    public List<InetSocketAddress> bootstraps() {
        return joiner.bootstraps();
    }

    public void stop() {
        if (statusRounds != null) {
            statusRounds.stop();
            shortcutRounds.stop();
        }
    }

    private void statusRound() {
        near.round();
        onDemand.round();
        relays.round();
        trimmer.trim();
        joiner.check();
    }

    /** A frame for {@code site} left this node: busy pairs get an on-demand link. */
    public void frameTo(RingAddress site) {
        onDemand.frameTo(site);
    }

    public void onStatus(Link link, RingMessage.Status m) {
        near.onStatus(link, m);
    }

    private boolean inboundShortcutsFull() {
        return shortcuts.inboundFull();
    }

    @Override
    public boolean admit(RingAddress from, Claim claim, boolean known, boolean answersOurConnect) {
        if (claim == Claim.JOIN && !table.joined()) {
            return false;
        }
        boolean inboundShortcut = claim == Claim.SHORTCUT && !answersOurConnect;
        return known || (table.size() < config.maxLinks() && !(inboundShortcut && inboundShortcutsFull()))
                || table.wouldBeNear(from);
    }

    @Override
    public boolean takeConnectToken(long token) {
        return connect.take(token);
    }

    @Override
    public boolean answeredConnect(long token) {
        return connect.answered(token);
    }

    /**
     * A wanted near neighbour that did not answer may sit behind a NAT: a routed CONNECT punches
     * through (and if that fails too, the link is relayed). So does a peer's neighbour asked to
     * carry a relay. A request over a relay that nobody answered tries the next relay.
     */
    @Override
    public void unanswered(Contact contact, Claim claim) {
        if (relays.unanswered(contact.address())) {
            return;
        }
        if ((claim == Claim.NEAR && table.joined() && table.wouldBeNear(contact.address()))
                || (claim == Claim.RELAY && table.joined())) {
            connect.fallback(contact.address(), claim, ConnectService.FALLBACK_MILLIS);
        }
    }

    /**
     * A peer saw this node at a new endpoint: its NAT mapping changed, and the peers behind NATs
     * and firewalls of their own let in only the old one. Every link this node claims is asked
     * for again at once, directly and by CONNECT, before it falls silent (once per
     * {@link ConnectService#FALLBACK_MILLIS}, so that a peer that reports changing endpoints
     * cannot make it a storm).
     */
    public void endpointMoved() {
        long now = table.now();
        if (now - lastMovedPunch < ConnectService.FALLBACK_MILLIS || !table.joined()) {
            return;
        }
        lastMovedPunch = now;
        for (Link link : table.all()) {
            punchAgain(link);
        }
    }

    /**
     * Whoever holds a claim on a silent link asks for it again: directly (a request from this
     * node's new port moves the link at the peer) and over the ring (a CONNECT makes both sides
     * punch, for a NAT on the peer's side that lets in only the old port).
     */
    @Override
    public void silent(Link link) {
        if (table.joined()) {
            punchAgain(link);
        }
    }

    private void punchAgain(Link link) {
        Claim claim = link.strongestClaim();
        if (link.routable() && claim != null && claim != Claim.JOIN) {
            if (!establisher.isPending(link.address())) {
                establisher.request(link.contact(), claim, random.nextLong(), false);
            }
            connect.fallback(link.address(), claim, ConnectService.SILENT_RETRY_MILLIS);
        }
    }

    @Override
    public InetSocketAddress endpointOf(RingAddress peer) {
        return relays.endpointOf(peer);
    }

    @Override
    public void direct(Link link) {
        relays.direct(link);
    }

    @Override
    public void established(Link link, Claim claim, boolean holder) {
        relays.established(link, holder);
        if (holder && claim == Claim.JOIN) {
            // Joining: find the node nearest our own address, which hands us our neighbours; the
            // bootstrap node's own neighbours are of no use to us.
            near.lookUpSelf();
        } else if (holder && claim == Claim.SHORTCUT) {
            shortcuts.drawn(link);
        }
    }

    @Override
    public void candidates(List<Contact> contacts) {
        near.consider(contacts);
    }
}
