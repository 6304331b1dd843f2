package io.ringswitch.overlay;

import io.netty.channel.EventLoop;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.control.ControlService;
import io.ringswitch.overlay.control.PingReport;
import io.ringswitch.overlay.control.RingPinger;
import io.ringswitch.overlay.forwarding.DhtDirectory;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.echo.RingEcho;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.secure.SecureLinkHandler;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The node's parts as its control socket serves them: the status snapshot, and pings by the
 * ring's echo. A host IP is the site the DHT directory names for it; a site name is the node's
 * own, the plaintext ring's address of the name, or a secure ring's peer whose certificate bears it.
 */
final class NodeControlService implements ControlService {
    private final OverlayNode node;
    private final RingPinger pinger;

    /** Registers the echo on {@code ring}: on the ring's thread. */
    NodeControlService(OverlayNode node, RingNode ring, Scheduler scheduler, EventLoop loop, DhtDirectory directory,
                       SecureLinkHandler security, String name) {
        this.node = node;
        RingEcho echo = new RingEcho(ring, scheduler, new Random(new SecureRandom().nextLong()), System::nanoTime);
        this.pinger = new RingPinger(ring, echo, loop, directory::siteOf,
                target -> target.equals(name) ? ring.address()
                        : security == null ? RingAddress.ofName(target) : security.peerNamed(target));
    }

    @Override
    public NodeStatus status() throws InterruptedException {
        return node.status();
    }

    @Override
    public PingReport ping(String target, int count) throws Exception {
        try {
            // Each echo ends by itself (an answer or its time-out): this bound is for a stuck loop.
            return pinger.ping(target, count).get(30L + count * (RingPinger.ECHO_TIMEOUT_MILLIS / 1000 + 1), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw e;
        }
    }
}
