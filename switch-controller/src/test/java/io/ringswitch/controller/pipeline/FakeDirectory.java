package io.ringswitch.controller.pipeline;

import io.ringswitch.controller.api.SiteDirectory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.projectfloodlight.openflow.types.MacAddress;

/**
 * A site directory in memory: what the test places at other sites, and what this site published.
 * It answers at once, or, once {@link #slow()}, only when the test calls {@link #answer()} (a DHT
 * that takes its time), so a test can send frames while a lookup is under way.
 */
public final class FakeDirectory implements SiteDirectory {
    public record Entry(InetAddress ip, MacAddress mac) {
    }

    public final Map<InetAddress, Located> ips = new HashMap<>();
    public final Map<MacAddress, Located> macs = new HashMap<>();
    public final List<Entry> published = new ArrayList<>();
    public final List<Entry> withdrawn = new ArrayList<>();
    private final List<Runnable> unanswered = new ArrayList<>();
    private boolean slow;
    private int lookups;

    /** A host at another site. */
    public void remote(InetAddress ip, MacAddress mac, String site) {
        ips.put(ip, new Located(mac, false, site));
        macs.put(mac, new Located(mac, false, site));
    }

    /** From now on lookups wait for {@link #answer()}. */
    public FakeDirectory slow() {
        slow = true;
        return this;
    }

    /** Answers every lookup asked so far, in order (with what the directory knows now); how many. */
    public int answer() {
        List<Runnable> now = List.copyOf(unanswered);
        unanswered.clear();
        now.forEach(Runnable::run);
        return now.size();
    }

    /** Lookups asked since the start. */
    public int lookups() {
        return lookups;
    }

    @Override
    public void publish(InetAddress ip, MacAddress mac) {
        published.add(new Entry(ip, mac));
        ips.put(ip, new Located(mac, true, "here"));
        macs.put(mac, new Located(mac, true, "here"));
    }

    @Override
    public void withdraw(InetAddress ip, MacAddress mac) {
        withdrawn.add(new Entry(ip, mac));
        ips.remove(ip);
    }

    @Override
    public CompletableFuture<Located> lookup(InetAddress ip) {
        return answered(() -> ips.get(ip));
    }

    @Override
    public CompletableFuture<Located> lookup(MacAddress mac) {
        return answered(() -> macs.get(mac));
    }

    @Override
    public void listen(Listener listener) {
    }

    private CompletableFuture<Located> answered(Supplier<Located> answer) {
        lookups++;
        if (!slow) {
            return CompletableFuture.completedFuture(answer.get());
        }
        CompletableFuture<Located> future = new CompletableFuture<>();
        unanswered.add(() -> future.complete(answer.get()));
        return future;
    }
}
