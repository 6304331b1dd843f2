package io.ringswitch.overlay;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.RingInboundHandler;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the underlay socket takes in, to the node's parts: ring messages to the ring, frames of
 * linked sites to the frame path, a peer's new NAT mapping to its link. The socket is bound before
 * the ring and the frame path exist (both need it), so each is looked up per datagram.
 */
final class UnderlayReceiver implements RingInboundHandler.Receiver {
    private static final Logger log = LoggerFactory.getLogger(OverlayNode.class);

    private final Supplier<RingNode> ring;
    private final Supplier<FramePath> frames;

    UnderlayReceiver(Supplier<RingNode> ring, Supplier<FramePath> frames) {
        this.ring = ring;
        this.frames = frames;
    }

    @Override
    public void message(InboundMessage m) {
        ring.get().onMessage(m.from(), m.message());
    }

    @Override
    public void frame(InboundFrame f) {
        FramePath path = frames.get();
        if (path == null) {
            // A frame this early comes from no link of ours yet.
            f.frame().release();
            return;
        }
        path.fromLinkedSite(f);
    }

    @Override
    public void burstEnd() {
        FramePath path = frames.get();
        if (path != null) {
            path.burstEnd();
        }
    }

    @Override
    public void pathChanged(RingAddress peer, PeerPath path) {
        // The peer's NAT mapped it anew: its link follows instead of dying (issue 10).
        boolean moved = ring.get().pathChanged(peer, path);
        log.info("{} now sends from {}: {}", peer.shortString(), path,
                moved ? "its link follows" : "no link to move (or the path is another link's)");
    }
}
