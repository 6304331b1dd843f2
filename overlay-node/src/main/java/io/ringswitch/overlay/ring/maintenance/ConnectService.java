package io.ringswitch.overlay.ring.maintenance;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.link.LinkEstablisher;
import io.ringswitch.overlay.ring.link.LinkTable;
import io.ringswitch.overlay.ring.message.Claim;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import io.ringswitch.overlay.ring.routing.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECT: how a node gets a link to the node nearest some point of the ring. The request is
 * routed to that point; the node where it ends asks the requester for a link, echoing its token,
 * and the requester then holds the claim the request named (near for its own neighbours,
 * shortcut for Symphony shortcuts).
 */
final class ConnectService implements PayloadHandler {
    private static final Logger log = LoggerFactory.getLogger(ConnectService.class);
    private static final int MAX_TOKENS = 64;

    private final LinkTable table;
    private final LinkEstablisher establisher;
    private final Router router;
    private final Random random;
    private final RingCounters counters;
    private final BooleanSupplier inboundShortcutsFull;
    private final Map<Long, Claim> tokens = new HashMap<>();

    ConnectService(LinkTable table, LinkEstablisher establisher, Router router, Random random,
                   BooleanSupplier inboundShortcutsFull) {
        this.table = table;
        this.establisher = establisher;
        this.router = router;
        this.random = random;
        this.counters = table.counters();
        this.inboundShortcutsFull = inboundShortcutsFull;
    }

    /** Asks the node nearest {@code target} for a link this node will hold for {@code claim}. */
    void request(RingAddress target, RoutingMode mode, Claim claim) {
        long token = random.nextLong();
        if (tokens.size() >= MAX_TOKENS) {
            tokens.clear();
        }
        tokens.put(token, claim);
        byte[] payload = RingMessageCodec.encodeConnect(new RingMessageCodec.Connect(claim, token, table.self()));
        router.send(target, mode, PayloadTypes.CONNECT, payload, true);
    }

    /** True once, for a token of this node's own CONNECT. */
    boolean take(long token) {
        return tokens.remove(token) != null;
    }

    @Override
    public void delivered(RingMessage.Routed m) {
        RingMessageCodec.Connect connect;
        try {
            connect = RingMessageCodec.decodeConnect(m.payload());
        } catch (RingMessageCodec.MalformedException e) {
            counters.malformed++;
            return;
        }
        RingAddress requester = connect.requester().address();
        if (connect.claim() == Claim.SHORTCUT && inboundShortcutsFull.getAsBoolean() && !table.contains(requester)) {
            // Full: the requester draws another target after a while, which spreads shortcuts over
            // the ring instead of piling them on nodes with wide gaps.
            counters.linksRefused++;
        } else if (connect.claim() == Claim.NEAR && table.contains(requester) && table.get(requester).routable()) {
            // A self-lookup from a node linked already (and not just for a join): views travel in
            // status messages, a link request would add nothing. A shortcut that lands on a link
            // still gets its answer, so that the requester holds its claim there.
            counters.connectsAlreadyLinked++;
        } else if (!requester.equals(table.me())) {
            counters.connectsAnswered++;
            if (log.isDebugEnabled()) {
                log.debug("{}: answering a {} CONNECT from {} after {} hops", table.me().shortString(), connect.claim(),
                        requester.shortString(), m.hops());
            }
            establisher.request(connect.requester(), connect.claim(), connect.token(), true);
        }
    }
}
