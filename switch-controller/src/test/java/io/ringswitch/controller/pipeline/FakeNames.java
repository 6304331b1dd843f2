package io.ringswitch.controller.pipeline;

import io.ringswitch.controller.api.NameDirectory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The group's host names in memory: what was published answers lookups at once. */
public final class FakeNames implements NameDirectory {
    private final String domain;
    public final Map<String, List<InetAddress>> names = new HashMap<>();

    public FakeNames(String domain) {
        this.domain = domain;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public void publish(String name, InetAddress ip) {
        names.computeIfAbsent(name, n -> new ArrayList<>()).add(ip);
    }

    @Override
    public void withdraw(String name, InetAddress ip) {
        List<InetAddress> ips = names.get(name);
        if (ips != null) {
            ips.remove(ip);
            if (ips.isEmpty()) {
                names.remove(name);
            }
        }
    }

    @Override
    public CompletableFuture<List<InetAddress>> lookup(String name) {
        return CompletableFuture.completedFuture(List.copyOf(names.getOrDefault(name, List.of())));
    }
}
