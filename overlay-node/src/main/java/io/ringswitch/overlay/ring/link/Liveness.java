package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.message.RingMessage;
import java.util.Random;

/**
 * Keeps links alive and finds the dead ones. On every routable link the node with the lower ring
 * address pings when it has not heard from the peer for a keepalive interval, or has sent nothing
 * for one, and the other answers; so each side hears the other once per interval at a cost of one
 * small message each. Near links (claimed near by either side) are pinged every
 * {@code pingMillis}, other links every one and a half; any link silent for
 * {@code deadAfterMillis} is dropped. Pongs give the link's round-trip time; pings and pongs carry
 * each side's claim and tell the receiver the endpoint the sender hears it from
 * ({@link PublicEndpoints}).
 * <p>
 * Each side measures the round trip at least every {@value #RTT_REFRESH_MILLIS} ms, with one ping
 * of its own where no keepalive gave it one (the side that does not ping, a busy link): relays are
 * chosen by it.
 * <p>
 * A link silent for two near intervals is suspect (routes avoid it) and its holder is told
 * ({@link LinkEvents#silent}), and the side that does not ping pings too: when the peer's NAT
 * mapping changed, only what the peer sends from its new port finds the way (the secure layer
 * then sees the peer roam and the link follows it), and a NAT on this side lets the peer in only
 * after a new punch.
 */
public final class Liveness {
    /** How old the non-pinging side's round-trip measure may get before it pings once itself. */
    static final long RTT_REFRESH_MILLIS = 30_000;
    private final LinkTable table;
    private final RingConfig config;
    private final Random random;
    private final PublicEndpoints endpoints;
    private LinkEvents events;

    public Liveness(LinkTable table, PublicEndpoints endpoints, Random random) {
        this.table = table;
        this.endpoints = endpoints;
        this.config = table.config();
        this.random = random;
    }

    public void attach(LinkEvents events) {
        this.events = events;
    }

    /** Drops silent links and pings those that are due. */
    public void tick() {
        long now = table.now();
        // The clockwise array is never changed in place, so the walk may drop links as it goes; a
        // copy of the whole table every second for every node was a tenth of the simulator's time.
        Link[] routable = table.clockwise();
        for (Link link : routable) {
            tick(link, now);
        }
        for (Link link : table.unroutable()) {
            tick(link, now);
        }
    }

    private void tick(Link link, long now) {
        long interval = link.near() ? config.pingMillis() : config.pingMillis() * 3 / 2;
        if (now - link.lastHeard > config.deadAfterMillis()) {
            table.counters().linksDead.inc();
            table.remove(link, "silent for " + (now - link.lastHeard) + " ms");
            return;
        }
        if (link.routable() && now - link.lastHeard >= 2 * config.pingMillis()) {
            // Routes avoid it (the CONNECT that punches again among them) until it is heard.
            link.suspectUntil(now + config.deadAfterMillis());
            events.silent(link);
        }
        boolean due = pinger(link)
                ? now - link.lastHeard >= interval || now - link.lastSent >= interval
                : now - link.lastHeard >= 2 * config.pingMillis() && now - link.pingSent >= config.pingMillis() / 2;
        if (link.routable() && (due || rttDue(link, now))) {
            link.pingNonce = random.nextLong();
            link.pingSent = now;
            table.send(link, new RingMessage.Ping(table.me(), link.pingNonce, link.strongestClaim(),
                    LinkEstablisher.seen(link.path())));
        }
    }

    /**
     * Either side measures the link's round trip now and then (a relay is chosen by it), also the
     * side that does not ping and a link so busy that no keepalive is due: one ping when there is
     * no ping's measure, or one older than {@link #RTT_REFRESH_MILLIS}.
     */
    private boolean rttDue(Link link, long now) {
        return (link.rttPingedAt < 0 || now - link.rttPingedAt >= RTT_REFRESH_MILLIS)
                && now - link.pingSent >= config.pingMillis();
    }

    /** Of the two ends of a link, the one with the lower address pings. */
    private boolean pinger(Link link) {
        return table.me().compareTo(link.address()) < 0;
    }

    public void onPing(Link link, RingMessage.Ping m) {
        declared(link, m.claim());
        endpoints.report(link.address(), m.seen());
        table.send(link, new RingMessage.Pong(table.me(), m.nonce(), link.strongestClaim(),
                LinkEstablisher.seen(link.path())));
    }

    public void onPong(Link link, RingMessage.Pong m) {
        declared(link, m.claim());
        endpoints.report(link.address(), m.seen());
        if (m.nonce() == link.pingNonce && link.pingSent > 0) {
            link.rttMillis = table.now() - link.pingSent;
            link.rttPingedAt = table.now();
        }
    }

    public void onClose(Link link, RingMessage.Close m) {
        table.counters().linksClosedByPeer.inc();
        table.remove(link, "closed by peer");
        events.candidates(m.neighbours());
    }

    /** The peer said which claim it holds on the link (from a ping, pong or status). */
    public static void declared(Link link, io.ringswitch.overlay.ring.message.Claim claim) {
        link.peerClaim = claim;
        link.peerDeclared = true;
    }
}
