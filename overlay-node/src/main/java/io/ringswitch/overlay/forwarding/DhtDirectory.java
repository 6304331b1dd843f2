package io.ringswitch.overlay.forwarding;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtPublication;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The directory in the DHT: key {@code ip4:A.B.C.D}, value the site's ring address (20 bytes) and
 * the host's MAC (6), kept for {@link #TTL_MILLIS} and republished while the host stays here.
 * Used on the node's event loop.
 */
public final class DhtDirectory implements ArpResponder.Directory {
    static final long TTL_MILLIS = 120_000;
    static final int MAX_PUBLISHED = 1024;

    private final Dht dht;
    private final RingAddress self;
    private final Map<Integer, DhtPublication> published = new HashMap<>();

    public DhtDirectory(Dht dht, RingAddress self) {
        this.dht = dht;
        this.self = self;
    }

    static DhtKey key(int ip) {
        return DhtKey.of("ip4:" + (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff));
    }

    @Override
    public void publish(int ip, byte[] mac) {
        withdraw(ip);
        if (published.size() >= MAX_PUBLISHED) {
            return;
        }
        byte[] value = ByteBuffer.allocate(RingAddress.BYTES + 6).put(self.toBytes()).put(mac).array();
        published.put(ip, dht.publish(key(ip), value, TTL_MILLIS));
    }

    @Override
    public void withdraw(int ip) {
        DhtPublication p = published.remove(ip);
        if (p != null) {
            p.cancel();
        }
    }

    @Override
    public CompletableFuture<ArpResponder.Located> lookup(int ip) {
        return dht.get(key(ip)).thenApply(r -> {
            // The newest publication of a host that moved is not told apart from an older one here;
            // a key holds a few values, and the first (by bytes) is taken.
            byte[] v = r.status() == DhtStatus.OK ? r.first() : null;
            if (v == null || v.length != RingAddress.BYTES + 6) {
                return null;
            }
            ByteBuffer b = ByteBuffer.wrap(v);
            byte[] address = new byte[RingAddress.BYTES];
            b.get(address);
            byte[] mac = new byte[6];
            b.get(mac);
            return new ArpResponder.Located(RingAddress.of(address), mac);
        });
    }
}
