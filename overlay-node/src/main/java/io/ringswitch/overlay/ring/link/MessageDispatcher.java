package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of the ring: a message from the underlay is handed to the part registered for its
 * type, but only when it comes over a link (link requests and replies aside) and names the link's
 * peer as its sender. Anything else is counted and dropped before any part sees it. What a peer
 * says of others' endpoints confirms none of them: only a handshake does ({@link ProbeLimiter}).
 */
public final class MessageDispatcher {
    private static final Logger log = LoggerFactory.getLogger(MessageDispatcher.class);

    private final LinkTable table;
    private final LinkEstablisher establisher;
    private final RingCounters counters;
    /**
     * Each registered message type at 2i and its handler at 2i + 1, found by a walk comparing
     * classes by identity: a dozen types fit in a cache line or two, where a {@code HashMap} read
     * the map, its bucket array and an entry for every message (each a cache miss when a
     * simulator holds 100,000 nodes).
     */
    private Object[] handlers = new Object[0];

    public MessageDispatcher(LinkTable table, LinkEstablisher establisher) {
        this.table = table;
        this.establisher = establisher;
        this.counters = table.counters();
    }

    /** Registers the part that handles messages of {@code type} arriving over a link. */
    @SuppressWarnings("unchecked")
    public <T extends RingMessage> void register(Class<T> type, BiConsumer<Link, T> handler) {
        // Stored as it is, not wrapped in a cast of our own (one object less per message): it is
        // called only with messages of exactly this class.
        BiConsumer<Link, RingMessage> erased = (BiConsumer<Link, RingMessage>) (BiConsumer<Link, ?>) handler;
        for (int i = 0; i < handlers.length; i += 2) {
            if (handlers[i] == type) {
                handlers[i + 1] = erased;
                return;
            }
        }
        handlers = Arrays.copyOf(handlers, handlers.length + 2);
        handlers[handlers.length - 2] = type;
        handlers[handlers.length - 1] = erased;
    }

    /** The handler registered for messages of exactly {@code type}, or null. */
    @SuppressWarnings("unchecked")
    private BiConsumer<Link, RingMessage> handlerOf(Class<?> type) {
        Object[] h = handlers;
        for (int i = 0; i < h.length; i += 2) {
            if (h[i] == type) {
                return (BiConsumer<Link, RingMessage>) h[i + 1];
            }
        }
        return null;
    }

    public void dispatch(PeerPath from, RingMessage message) {
        boolean travels = message instanceof RingMessage.Routed || message instanceof RingMessage.Broadcast;
        if (!travels && message.from().equals(table.me())) {
            counters.fromStranger.inc();
            return;
        }
        if (message instanceof RingMessage.LinkRequest m) {
            establisher.onRequest(from, m);
            return;
        }
        if (message instanceof RingMessage.LinkReply m) {
            establisher.onReply(from, m);
            return;
        }
        Link link = table.at(from);
        boolean otherRelay = false;
        if (link == null && from instanceof PeerPath.Relay relay) {
            // Each end of a relayed link asked over a relay of its own choice, and the two may
            // differ for a while (requests that crossed): the peer's records over either count.
            Link relayed = table.get(relay.peer());
            link = relayed != null && relayed.path() instanceof PeerPath.Relay ? relayed : null;
            otherRelay = link != null;
        }
        if (link == null || (!travels && !link.address().equals(message.from()))) {
            counters.fromStranger.inc();
            if (Long.bitCount(counters.fromStranger()) == 1 && log.isDebugEnabled()) {
                log.debug("{}: dropped a {} from {}, which is no link of ours", table.me().shortString(),
                        message.getClass().getSimpleName(), from);
            }
            return;
        }
        if (otherRelay && !travels && PairRelay.followsPeer(table.me(), link.address()) && table.repath(link, from)) {
            // The peer's end is the one whose relay the pair uses (issue 18): this end follows it.
            counters.linksRepathed.inc();
        }
        table.heard(link);
        link.countIn(RingMessageCodec.sizeOf(message), 1);
        BiConsumer<Link, RingMessage> handler = handlerOf(message.getClass());
        if (handler != null) {
            handler.accept(link, message);
        }
    }
}
