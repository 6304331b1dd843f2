package io.ringswitch.overlay.forwarding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.ringswitch.controller.multicast.GroupAddresses;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.RingAddress;
import java.net.InetAddress;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The ring side of multicast: IP multicast that the bridge hands the overlay port goes to the
 * sites with members only ({@link MulticastForwarder}); link-local groups and group MACs that
 * carry no IP multicast go to every site as before. Snooping, the querier and per-port pruning
 * are the switch controller's ({@code io.ringswitch.controller.multicast}): its flows keep
 * IGMP/MLD off the overlay port in both directions and send a group into the overlay port only
 * while other sites have members. Owned by the node's event loop.
 */
public final class RingMulticast {
    private final MulticastForwarder forwarder;
    private long fromRing;

    public RingMulticast(ByteBufAllocator alloc, LongSupplier clock, RingAddress self, MulticastDirectory directory,
                         Supplier<FrameForwarder.Ring> ring) {
        this.forwarder = new MulticastForwarder(alloc, clock, directory, self, ring);
    }

    /**
     * A frame with a group destination MAC from the port. True when it was taken here (an IP
     * multicast packet sent to member sites); false when it goes to every site as before.
     */
    boolean fromPort(ByteBuf frame) {
        InetAddress group = GroupAddresses.ipGroup(frame);
        if (group == null || GroupAddresses.linkLocal(group)) {
            return false;
        }
        forwarder.send(group, frame);
        return true;
    }

    /** A frame with a group destination MAC from the ring, on its way to the port: counted. */
    void fromRing(ByteBuf frame) {
        InetAddress group = GroupAddresses.ipGroup(frame);
        if (group != null && !GroupAddresses.linkLocal(group)) {
            fromRing++;
        }
    }

    /** Once a second or so: groups idle for long are forgotten. */
    public void tick() {
        forwarder.expire();
    }

    /** The ring side's counters (snooping, the querier and per-port groups are the controller's). */
    public NodeStatus.MulticastStats stats() {
        return new NodeStatus.MulticastStats(forwarder.groupCount(), forwarder.framesToMembers, forwarder.copiesSent,
                forwarder.held, forwarder.heldDropped, forwarder.noMembers, forwarder.toEverySite, fromRing);
    }
}
