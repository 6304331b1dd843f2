package io.ringswitch.overlay.forwarding;

import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtPublication;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.dht.DhtValue;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * The directory in the DHT, for the hosts of each site: key {@code ip4:A.B.C.D} or
 * {@code ip6:ADDR} (RFC 5952 text), value the site's ring address (20 bytes), the host's MAC (6)
 * and when the site published it (8, wall clock ms); key {@code mac:xx:xx:xx:xx:xx:xx}, value the
 * site's ring address and the same time. Kept for {@link #TTL_MILLIS} and republished while the
 * host stays. A site whose host left (its port went, its lease ended) puts a tombstone, the same
 * value with an all-zero ring address, so that the host may bind at another site at once instead
 * of after the old value runs out; a host that moved is published by its new site, and lookups
 * take the newest publication (a tombstone reads as nobody). In a group with a CA these keys
 * are owned ({@link io.ringswitch.overlay.ring.dht.DhtRecords#singleOwner}): the tombstone is a
 * release, which frees the key for the host's next site at once, another site's claim is refused
 * while this site's record lives, and lookups read two holders ({@link Dht#getConfirmed}).
 * The switch controller publishes the hosts it bound to this site's ports and asks here for the
 * others ({@link SiteDirectory}); the forwarder asks here for the site of a MAC it has not seen.
 * Used on the node's event loop only.
 */
public final class DhtDirectory implements FrameForwarder.MacDirectory {
    /** Short enough that a host whose site went away without withdrawing it can bind elsewhere within half a minute. */
    static final long TTL_MILLIS = 30_000;
    static final int MAX_PUBLISHED = 1024;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");
    /** The ring address of a tombstone: the host left the site that put it. */
    private static final byte[] NOBODY = new byte[RingAddress.BYTES];

    private final Dht dht;
    private final RingAddress self;
    private final LongSupplier wallClock;
    private final Map<InetAddress, DhtPublication> published = new HashMap<>();
    private final Map<InetAddress, Long> macOf = new HashMap<>();
    private final Map<Long, DhtPublication> macs = new HashMap<>();

    /** {@code wallClock}: milliseconds since the epoch, comparable between sites (to tell the newest publication). */
    public DhtDirectory(Dht dht, RingAddress self, LongSupplier wallClock) {
        this.dht = dht;
        this.self = self;
        this.wallClock = wallClock;
    }

    static DhtKey key(InetAddress ip) {
        return DhtKey.of((ip instanceof Inet4Address ? "ip4:" : "ip6:") + DhtMulticastDirectory.text(ip));
    }

    static DhtKey macKey(long mac) {
        byte[] b = ByteBuffer.allocate(8).putLong(mac).array();
        return DhtKey.of("mac:" + HEX.formatHex(b, 2, 8));
    }

    /** A host of this site (bound to one of its ports by the controller): published until {@link #withdraw}. */
    public void publish(InetAddress ip, long mac) {
        withdraw(ip);
        if (published.size() >= MAX_PUBLISHED) {
            return;
        }
        long now = wallClock.getAsLong();
        byte[] macBytes = MacAddress.of(mac).getBytes();
        byte[] value = ByteBuffer.allocate(RingAddress.BYTES + 6 + 8).put(self.toBytes()).put(macBytes).putLong(now).array();
        published.put(ip, dht.publish(key(ip), value, TTL_MILLIS));
        macOf.put(ip, mac);
        publishMac(mac, now);
    }

    private void publishMac(long mac, long now) {
        if (!macs.containsKey(mac) && macs.size() < MAX_PUBLISHED) {
            byte[] site = ByteBuffer.allocate(RingAddress.BYTES + 8).put(self.toBytes()).putLong(now).array();
            macs.put(mac, dht.publish(macKey(mac), site, TTL_MILLIS));
        }
    }

    /** The host left this site, or the address left the host: stop publishing it (and its MAC once it has no address). */
    public void withdraw(InetAddress ip) {
        Long m = macOf.remove(ip);
        DhtPublication p = published.remove(ip);
        if (p != null) {
            p.cancel();
            tombstone(ip, m == null ? 0 : m);
        }
        if (m != null && !macOf.containsValue(m)) {
            withdrawMac(m);
        }
    }

    /** The MAC left this site (its port went): stop publishing it and its addresses. */
    public void withdrawMac(long mac) {
        List<InetAddress> addresses = macOf.entrySet().stream().filter(e -> e.getValue() == mac).map(Map.Entry::getKey)
                .toList();
        addresses.forEach(this::withdraw);
        DhtPublication mp = macs.remove(mac);
        if (mp != null) {
            mp.cancel();
            dht.release(macKey(mac), ByteBuffer.allocate(RingAddress.BYTES + 8).put(NOBODY).putLong(wallClock.getAsLong()).array(),
                    TTL_MILLIS);
        }
    }

    /** A value newer than this site's last publication of {@code ip} that says nobody holds it any more. */
    private void tombstone(InetAddress ip, long mac) {
        dht.release(key(ip), ByteBuffer.allocate(RingAddress.BYTES + 6 + 8).put(NOBODY).put(MacAddress.of(mac).getBytes())
                .putLong(wallClock.getAsLong()).array(), TTL_MILLIS);
    }

    /** The site and MAC that published {@code ip} last (this site included); null when none did. */
    public CompletableFuture<SiteDirectory.Located> lookup(InetAddress ip) {
        return dht.getConfirmed(key(ip)).thenApply(r -> {
            ByteBuffer v = newest(r, RingAddress.BYTES + 6);
            RingAddress site = v == null ? null : site(v);
            if (site == null) {
                return null;
            }
            byte[] mac = new byte[6];
            v.get(mac);
            return new SiteDirectory.Located(MacAddress.of(mac), site.equals(self), site.shortString());
        });
    }

    /** The ring address of the site that published {@code ip} last (this site included); null when none did. */
    public CompletableFuture<RingAddress> siteOf(InetAddress ip) {
        return dht.getConfirmed(key(ip)).thenApply(r -> {
            ByteBuffer v = newest(r, RingAddress.BYTES + 6);
            return v == null ? null : site(v);
        });
    }

    /** The site that published {@code mac} last (this site included); null when none did. */
    public CompletableFuture<SiteDirectory.Located> lookup(long mac) {
        return siteOf(mac).thenApply(site -> site == null ? null
                : new SiteDirectory.Located(MacAddress.of(mac), site.equals(self), site.shortString()));
    }

    /**
     * The site that published {@code mac} last; null when none did, or when it is this site: a
     * host of this site is the bridge's to find, and a frame sent to this site over the ring would
     * come back in through the overlay port.
     */
    @Override
    public CompletableFuture<RingAddress> site(long mac) {
        return siteOf(mac).thenApply(site -> site == null || site.equals(self) ? null : site);
    }

    private CompletableFuture<RingAddress> siteOf(long mac) {
        return dht.getConfirmed(macKey(mac)).thenApply(r -> {
            ByteBuffer v = newest(r, RingAddress.BYTES);
            return v == null ? null : site(v);
        });
    }

    /** The ring address at the value's position (which moves past it); null for a tombstone. */
    private static RingAddress site(ByteBuffer v) {
        byte[] address = new byte[RingAddress.BYTES];
        v.get(address);
        return Arrays.equals(address, NOBODY) ? null : RingAddress.of(address);
    }

    /** The MAC of the host that published {@code ip} (a static address or a lease), for the DHCP pool; null when none. */
    public CompletableFuture<byte[]> macOf(int ip) {
        return lookup(ipv4(ip)).thenApply(found -> found == null ? null : found.mac().getBytes());
    }

    static InetAddress ipv4(int ip) {
        try {
            return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(ip).array());
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The value with the latest publication time (8 bytes after {@code body}); values of another
     * size are ignored, and so are signed values that name another site than their publisher.
     */
    private static ByteBuffer newest(DhtResult r, int body) {
        if (r.status() != DhtStatus.OK) {
            return null;
        }
        ByteBuffer best = null;
        long bestAt = Long.MIN_VALUE;
        for (DhtValue value : r.values()) {
            byte[] v = value.bytes();
            if (v.length != body + 8) {
                continue;
            }
            long at = ByteBuffer.wrap(v, body, 8).getLong();
            RingAddress named = site(ByteBuffer.wrap(v));
            if (named != null && !value.publishedBy(named)) {
                continue;
            }
            if (best == null || at > bestAt) {
                best = ByteBuffer.wrap(v);
                bestAt = at;
            }
        }
        return best;
    }
}
