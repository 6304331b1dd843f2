package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.Contact;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.RingConfig;
import io.ringswitch.overlay.ring.RingCounters;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RingMessageCodec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The links of one node, by ring address and by path, and the routable ones in clockwise order
 * from this node (each at most once). Also the node's one way out: every message to a peer is
 * sent here, so that the table knows when a link was last used.
 */
public final class LinkTable {
    private static final Logger log = LoggerFactory.getLogger(LinkTable.class);

    /** Told when a link comes or goes. */
    public interface Listener {
        void linkUp(Link link);

        void linkDown(Link link);
    }

    private final Contact self;
    private final RingConfig config;
    private final Scheduler scheduler;
    private final RingTransport transport;
    private final RingCounters counters;
    /** Every link by address: the order walks over the links see. */
    private final Map<RingAddress, Link> byAddress = new HashMap<>();
    /** The same links by address and by path, for lookups ({@link LinkSlots}). */
    private final LinkSlots<RingAddress> addressSlots = new LinkSlots<>();
    private final LinkSlots<PeerPath> byPath = new LinkSlots<>();
    /** This node's address, read for every message: one pointer from here rather than two. */
    private final RingAddress me;
    private final List<Link> clockwise = new ArrayList<>();
    private final List<Listener> listeners = new ArrayList<>();
    private Link[] clockwiseArray = new Link[0];
    /** Links whose path is a relay: most nodes have none, and the relays' round then walks no link. */
    private int relayed;
    private boolean sorted = true;
    private final NearCount nearCount;
    private boolean joined;

    public LinkTable(Contact self, RingConfig config, Scheduler scheduler, RingTransport transport, RingCounters counters) {
        this.self = self;
        this.me = self.address();
        this.config = config;
        this.scheduler = scheduler;
        this.transport = transport;
        this.counters = counters;
        this.nearCount = new NearCount(config);
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public Contact self() {
        return self;
    }

    public RingAddress me() {
        return me;
    }

    public RingConfig config() {
        return config;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public RingCounters counters() {
        return counters;
    }

    public long now() {
        return scheduler.nowMillis();
    }

    /**
     * True once the node is part of a ring: it started one, or it has had a near link. A node that
     * lost every link stays part of its (one-node) ring while it looks for the others.
     */
    public boolean joined() {
        return joined;
    }

    public void markJoined() {
        joined = true;
    }

    public Link get(RingAddress address) {
        return addressSlots.get(address);
    }

    public Link at(PeerPath path) {
        return byPath.get(path);
    }

    public boolean contains(RingAddress address) {
        return addressSlots.get(address) != null;
    }

    public int size() {
        return byAddress.size();
    }

    public boolean isEmpty() {
        return byAddress.isEmpty();
    }

    /** Every link, routable or not; a copy, safe to change the table while walking it. */
    public List<Link> all() {
        return new ArrayList<>(byAddress.values());
    }

    /**
     * The links that are not routable (join links), as a copy: with {@link #clockwise()}, which
     * is replaced rather than changed, a walk over every link that may drop some as it goes,
     * without copying the whole table (every node walks it every second).
     */
    public List<Link> unroutable() {
        if (byAddress.size() == clockwise.size()) {
            return List.of();
        }
        List<Link> out = new ArrayList<>(byAddress.size() - clockwise.size());
        for (Link link : byAddress.values()) {
            if (!link.routable) {
                out.add(link);
            }
        }
        return out;
    }

    /** Every link, for reading only. */
    public Collection<Link> view() {
        return byAddress.values();
    }

    /**
     * Adds the link to {@code contact} over {@code path}, or returns the one there is. A link made
     * for the ring (not only for a join) becomes routable and joins the clockwise order.
     */
    public Link add(Contact contact, PeerPath path, boolean routable) {
        long now = now();
        Link link = addressSlots.get(contact.address());
        if (link == null) {
            Link fresh = new Link(contact, path, now);
            byAddress.put(contact.address(), fresh);
            addressSlots.put(contact.address(), fresh);
            byPath.put(path, fresh);
            relayed += isRelay(path);
            counters.linksUp.inc();
            listeners.forEach(listener -> listener.linkUp(fresh));
            if (log.isDebugEnabled()) {
                log.atDebug().addKeyValue("peer", contact.address().shortString()).addKeyValue("path", String.valueOf(path))
                        .addKeyValue("event", "up")
                        .log("{}: link to {} up over {}", me().shortString(), contact.address().shortString(), path);
            }
            link = fresh;
        }
        link.suspectUntil = 0;
        link.lastHeard = now;
        if (routable && !link.routable) {
            link.routable = true;
            relist(link);
        }
        return link;
    }

    /**
     * The peer of {@code link} is now reached by {@code path} (its NAT mapping changed, or a
     * direct path replaced a relay): the link keeps its claims and liveness. False when another
     * link already uses that path.
     */
    public boolean repath(Link link, PeerPath path) {
        if (link.path.equals(path)) {
            return true;
        }
        Link other = byPath.get(path);
        if (other != null && other != link) {
            return false;
        }
        byPath.remove(link.path);
        relayed += isRelay(path) - isRelay(link.path);
        link.path = path;
        byPath.put(path, link);
        InetSocketAddress endpoint = path instanceof PeerPath.Udp udp ? udp.endpoint()
                : path instanceof PeerPath.Tcp tcp ? tcp.endpoint() : null;
        if (endpoint != null) {
            // Neighbour lists pass the endpoint on: it must be the one that works now.
            link.contact = new Contact(link.address(), endpoint);
        }
        if (log.isDebugEnabled()) {
            log.atDebug().addKeyValue("peer", link.address().shortString()).addKeyValue("path", String.valueOf(path))
                    .addKeyValue("event", "moved")
                    .log("{}: link to {} now over {}", me().shortString(), link.address().shortString(), path);
        }
        return true;
    }

    /** The links whose path is a relay, as a count. */
    public int relayedCount() {
        return relayed;
    }

    private static int isRelay(PeerPath path) {
        return path instanceof PeerPath.Relay ? 1 : 0;
    }

    public void remove(Link link, String why) {
        // A link removed twice, or one whose peer has linked again since (a new Link under the same
        // address), must not take the newer link's entries with it.
        if (addressSlots.get(link.address()) != link) {
            return;
        }
        byAddress.remove(link.address());
        addressSlots.remove(link.address());
        if (byPath.get(link.path()) == link) {
            byPath.remove(link.path());
        }
        relayed -= isRelay(link.path());
        link.routable = false;
        relist(link);
        counters.linksDown.inc();
        listeners.forEach(listener -> listener.linkDown(link));
        if (log.isDebugEnabled()) {
            log.atDebug().addKeyValue("peer", link.address().shortString()).addKeyValue("path", String.valueOf(link.path()))
                    .addKeyValue("event", "down").addKeyValue("reason", why)
                    .log("{}: link to {} down: {}", me().shortString(), link.address().shortString(), why);
        }
    }

    /** Sends a Close (with this node's near neighbours) and removes the link. */
    public void close(Link link, String why) {
        send(link, new RingMessage.Close(me(), nearContacts()));
        remove(link, why);
    }

    public void removeAll() {
        for (Link link : all()) {
            remove(link, "stopped");
        }
    }

    public void send(Link link, RingMessage message) {
        link.lastSent = now();
        link.countOut(RingMessageCodec.sizeOf(message), 1);
        sendTo(link.path(), message);
    }

    public void sendTo(PeerPath path, RingMessage message) {
        counters.sent.inc();
        transport.send(path, message);
    }

    /** A message arrived on the link: it is alive, and no longer suspect. */
    public void heard(Link link) {
        link.lastHeard = now();
        link.suspectUntil = 0;
    }

    // ---------------------------------------------------------------- clockwise order

    private void relist(Link link) {
        if (link.routable == link.listed) {
            return;
        }
        int at = clockwiseIndex(link.address());
        if (link.routable) {
            clockwise.add(at, link);
        } else {
            clockwise.remove(at);
        }
        link.listed = link.routable;
        sorted = false;
    }

    /** Routable links in clockwise order from this node. Do not change the array. */
    public Link[] clockwise() {
        if (!sorted) {
            clockwiseArray = clockwise.toArray(new Link[0]);
            sorted = true;
        }
        return clockwiseArray;
    }

    /** Near neighbours kept on each side: about log10 of the ring's size, within the configured bounds. */
    public int nearPerSide() {
        return nearCount.nearPerSide();
    }

    /** Follows the ring's size, once per status round ({@link NearCount#update}). */
    public void updateNearPerSide() {
        nearCount.update(clockwise(), me);
    }

    /** The ring's size as this node estimates it from the spacing of its nearest neighbours ({@link NearCount#estimatedSize}). */
    public double estimatedSize() {
        return nearCount.estimatedSize(clockwise(), me);
    }

    /** The nearest {@code n} neighbours clockwise (right), nearest first. */
    public List<Contact> right(int n) {
        Link[] cw = clockwise();
        List<Contact> out = new ArrayList<>(n);
        for (int i = 0; i < Math.min(n, cw.length); i++) {
            out.add(cw[i].contact());
        }
        return out;
    }

    /** The nearest {@code n} neighbours counter-clockwise (left), nearest first. */
    public List<Contact> left(int n) {
        Link[] cw = clockwise();
        List<Contact> out = new ArrayList<>(n);
        for (int i = 0; i < Math.min(n, cw.length); i++) {
            out.add(cw[cw.length - 1 - i].contact());
        }
        return out;
    }

    /** The near neighbours on both sides, nearest first, each once. */
    public List<Contact> nearContacts() {
        Link[] cw = clockwise();
        int k = nearCount.nearPerSide();
        List<Contact> out = new ArrayList<>(2 * k);
        for (int i = 0; i < Math.min(k, cw.length); i++) {
            out.add(cw[i].contact());
            if (cw.length - 1 - i > i && cw.length - 1 - i >= k) {
                out.add(cw[cw.length - 1 - i].contact());
            }
        }
        return out;
    }

    /** Is the link among the {@code nearPerSide} nearest on either side? */
    public boolean isNear(Link link) {
        Link[] cw = clockwise();
        int k = nearPerSide();
        for (int i = 0; i < Math.min(k, cw.length); i++) {
            if (cw[i] == link || cw[cw.length - 1 - i] == link) {
                return true;
            }
        }
        return false;
    }

    /** Would a node at {@code address} be among this node's near neighbours on either side? */
    public boolean wouldBeNear(RingAddress address) {
        Link[] cw = clockwise();
        int k = nearPerSide();
        if (cw.length < 2 * k) {
            return true;
        }
        if (address.equals(me)) {
            return true;
        }
        // Nearer clockwise than the k-th link on the right, or nearer counter-clockwise (farther
        // clockwise: no link is to this node itself) than the k-th on the left; compared without
        // making the four distances, since every candidate neighbour heard of is weighed here.
        return RingAddress.compareClockwise(me, address, cw[k - 1].address()) < 0
                || RingAddress.compareClockwise(me, address, cw[cw.length - k].address()) > 0;
    }

    /**
     * The routable link nearest {@code dst} either way round that is not suspect at {@code now} and
     * not to {@code exclude}; null if there is none (see {@link NearestRoutable}).
     */
    public Link nearestRoutable(RingAddress dst, RingAddress exclude, long now) {
        return NearestRoutable.find(clockwise(), me(), dst, exclude, now);
    }

    /** Where a link to {@code address} sits (or would sit) in clockwise order. */
    private int clockwiseIndex(RingAddress address) {
        int lo = 0;
        int hi = clockwise.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (RingAddress.compareClockwise(me(), clockwise.get(mid).address(), address) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
