package io.ringswitch.overlay.forwarding;

import io.ringswitch.controller.api.AddressPool;
import io.ringswitch.overlay.api.Ipv4;
import io.ringswitch.overlay.ring.dht.Dht;
import io.ringswitch.overlay.ring.dht.DhtKey;
import io.ringswitch.overlay.ring.dht.DhtPublication;
import io.ringswitch.overlay.ring.dht.DhtResult;
import io.ringswitch.overlay.ring.dht.DhtStatus;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The DHCP pool in the DHT: key {@code lease4:A.B.C.D}, value the holder (client MAC and client
 * key), taken with create-if-absent so that of two sites offering one address at once exactly one
 * wins; a granted lease is kept (created again every half of its time to live) until the server
 * lets it go. In a group with a CA the lease is owned by the site that created it: only that site
 * renews it, another's create is answered EXISTS, and a holder is read from two replicas. Static addresses are found in the directory ({@link DhtDirectory}). Used on the
 * node's event loop.
 */
public final class DhtAddressPool implements AddressPool {
    private final Dht dht;
    private final DhtDirectory directory;

    public DhtAddressPool(Dht dht, DhtDirectory directory) {
        this.dht = dht;
        this.directory = directory;
    }

    static DhtKey key(int ip) {
        return DhtKey.of("lease4:" + Ipv4.format(ip));
    }

    @Override
    public CompletableFuture<AddressPool.Claim> claim(int ip, byte[] holder, long ttlMillis, boolean keep) {
        if (!keep) {
            return dht.createIfAbsent(key(ip), holder, ttlMillis).thenApply(r -> answer(r, holder, () -> { }));
        }
        DhtPublication kept = dht.createAndKeep(key(ip), holder, ttlMillis);
        return kept.latest().thenApply(r -> answer(r, holder, kept::cancel));
    }

    private static AddressPool.Claim answer(DhtResult r, byte[] holder, Runnable cancel) {
        if (r.status() == DhtStatus.CREATED) {
            return new AddressPool.Claim(true, holder, cancel);
        }
        if (r.status() == DhtStatus.EXISTS) {
            byte[] winner = r.first();
            return new AddressPool.Claim(Arrays.equals(winner, holder), winner, cancel);
        }
        cancel.run();
        throw new IllegalStateException("the pool did not answer: " + r.status());
    }

    @Override
    public CompletableFuture<byte[]> holder(int ip) {
        return dht.getConfirmed(key(ip)).thenApply(r -> r.status() == DhtStatus.OK ? r.first() : null);
    }

    @Override
    public CompletableFuture<byte[]> announcedBy(int ip) {
        return directory.macOf(ip);
    }
}
