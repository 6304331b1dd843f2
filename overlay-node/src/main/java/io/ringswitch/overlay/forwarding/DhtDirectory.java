package io.ringswitch.overlay.forwarding;

import io.ringswitch.overlay.api.Ipv4;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtPublication;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import io.ringswitch.overlay.ring.dht.DhtValue;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * The directory in the DHT, for the hosts of each site: key {@code ip4:A.B.C.D}, value the site's
 * ring address (20 bytes), the host's MAC (6) and when the site published it (8, wall clock ms);
 * key {@code mac:xx:xx:xx:xx:xx:xx}, value the site's ring address and the same time. Kept for
 * {@link #TTL_MILLIS} and republished while the host stays. A host that moved is published by its
 * new site while its old site may still hold the old value (until it hears the host elsewhere or
 * the value runs out): lookups take the newest publication. Used on the node's event loop.
 */
public final class DhtDirectory implements ArpResponder.Directory, FrameForwarder.MacDirectory {
    static final long TTL_MILLIS = 120_000;
    static final int MAX_PUBLISHED = 1024;
    private static final HexFormat HEX = HexFormat.ofDelimiter(":");

    private final Dht dht;
    private final RingAddress self;
    private final LongSupplier wallClock;
    private final Map<Integer, DhtPublication> published = new HashMap<>();
    private final Map<Integer, Long> macOf = new HashMap<>();
    private final Map<Long, DhtPublication> macs = new HashMap<>();

    /** {@code wallClock}: milliseconds since the epoch, comparable between sites (to tell the newest publication). */
    public DhtDirectory(Dht dht, RingAddress self, LongSupplier wallClock) {
        this.dht = dht;
        this.self = self;
        this.wallClock = wallClock;
    }

    static DhtKey key(int ip) {
        return DhtKey.of("ip4:" + Ipv4.format(ip));
    }

    static DhtKey macKey(long mac) {
        byte[] b = ByteBuffer.allocate(8).putLong(mac).array();
        return DhtKey.of("mac:" + HEX.formatHex(b, 2, 8));
    }

    @Override
    public void publish(int ip, byte[] mac) {
        withdraw(ip);
        if (published.size() >= MAX_PUBLISHED) {
            return;
        }
        long now = wallClock.getAsLong();
        byte[] value = ByteBuffer.allocate(RingAddress.BYTES + 6 + 8).put(self.toBytes()).put(mac).putLong(now).array();
        published.put(ip, dht.publish(key(ip), value, TTL_MILLIS));
        long m = ByteBuffer.allocate(8).putShort((short) 0).put(mac).flip().getLong();
        macOf.put(ip, m);
        if (!macs.containsKey(m)) {
            byte[] site = ByteBuffer.allocate(RingAddress.BYTES + 8).put(self.toBytes()).putLong(now).array();
            macs.put(m, dht.publish(macKey(m), site, TTL_MILLIS));
        }
    }

    @Override
    public void withdraw(int ip) {
        DhtPublication p = published.remove(ip);
        if (p != null) {
            p.cancel();
        }
        Long m = macOf.remove(ip);
        if (m != null && !macOf.containsValue(m)) {
            DhtPublication mp = macs.remove(m);
            if (mp != null) {
                mp.cancel();
            }
        }
    }

    /** The site and MAC that published {@code ip} last; null when none did, or when it is this site. */
    @Override
    public CompletableFuture<ArpResponder.Located> lookup(int ip) {
        return dht.get(key(ip)).thenApply(r -> {
            ByteBuffer v = newest(r, RingAddress.BYTES + 6);
            if (v == null) {
                return null;
            }
            byte[] address = new byte[RingAddress.BYTES];
            v.get(address);
            byte[] mac = new byte[6];
            v.get(mac);
            RingAddress site = RingAddress.of(address);
            // A host of this site answers for itself: an answer from the overlay port with its MAC
            // would teach the bridge that the host sits behind that port.
            return site.equals(self) ? null : new ArpResponder.Located(site, mac);
        });
    }

    /**
     * The site that published {@code mac} last; null when none did, or when it is this site: a
     * host of this site is the bridge's to find, and a frame sent to this site over the ring would
     * come back in through the overlay port and teach the bridge the host's MAC on the wrong port.
     */
    @Override
    public CompletableFuture<RingAddress> site(long mac) {
        return dht.get(macKey(mac)).thenApply(r -> {
            ByteBuffer v = newest(r, RingAddress.BYTES);
            if (v == null) {
                return null;
            }
            byte[] address = new byte[RingAddress.BYTES];
            v.get(address);
            RingAddress site = RingAddress.of(address);
            return site.equals(self) ? null : site;
        });
    }

    /** The value with the latest publication time (8 bytes after {@code body}); values of another size are ignored. */
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
            if (best == null || at > bestAt) {
                best = ByteBuffer.wrap(v);
                bestAt = at;
            }
        }
        return best;
    }
}
