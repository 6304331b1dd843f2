package io.ringswitch.controller.api;

import java.util.concurrent.CompletableFuture;

/**
 * The IPv4 pool every site of the group shares (the overlay's DHT, create-if-absent): who holds
 * an address. The controller's DHCP server offers and grants an address only once the pool says
 * it is free or already the client's. Futures complete on the overlay's thread.
 */
public interface AddressPool {
    /**
     * Takes {@code ip} for {@code holder} for {@code ttlMillis} if it is free or already
     * {@code holder}'s; kept (renewed before it expires) until cancelled when {@code keep}.
     * Fails when the pool cannot be asked (no ring).
     */
    CompletableFuture<Claim> claim(int ip, byte[] holder, long ttlMillis, boolean keep);

    /** The holder of {@code ip}'s lease, or null. */
    CompletableFuture<byte[]> holder(int ip);

    /** The MAC of the host that announced {@code ip} on the LAN (a static address, its ARP), or null. */
    CompletableFuture<byte[]> announcedBy(int ip);

    /** The pool's answer: granted, or the value of whoever holds the address; {@code cancel} lets a kept claim go. */
    record Claim(boolean granted, byte[] holder, Runnable cancel) {
    }
}
