package io.ringswitch.controller;

import io.ringswitch.controller.api.AddressPool;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The shared DHCP pool in memory, create-if-absent as the DHT's, answering at once. */
final class MemoryPool implements AddressPool {
    final Map<Integer, byte[]> held = new HashMap<>();
    final Map<Integer, byte[]> announced = new HashMap<>();

    @Override
    public CompletableFuture<Claim> claim(int ip, byte[] holder, long ttlMillis, boolean keep) {
        byte[] winner = held.putIfAbsent(ip, holder);
        byte[] now = winner == null ? holder : winner;
        return CompletableFuture.completedFuture(new Claim(Arrays.equals(now, holder), now, () -> held.remove(ip, now)));
    }

    @Override
    public CompletableFuture<byte[]> holder(int ip) {
        return CompletableFuture.completedFuture(held.get(ip));
    }

    @Override
    public CompletableFuture<byte[]> announcedBy(int ip) {
        return CompletableFuture.completedFuture(announced.get(ip));
    }
}
