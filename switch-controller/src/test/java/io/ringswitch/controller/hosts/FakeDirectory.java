package io.ringswitch.controller.hosts;

import io.ringswitch.controller.api.SiteDirectory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.projectfloodlight.openflow.types.MacAddress;

/** A site directory in memory that answers at once: what the test places at other sites, and what this site published. */
final class FakeDirectory implements SiteDirectory {
    record Entry(InetAddress ip, MacAddress mac) {
    }

    final Map<InetAddress, Located> ips = new HashMap<>();
    final Map<MacAddress, Located> macs = new HashMap<>();
    final List<Entry> published = new ArrayList<>();
    final List<Entry> withdrawn = new ArrayList<>();

    /** A host at another site. */
    void remote(InetAddress ip, MacAddress mac, String site) {
        ips.put(ip, new Located(mac, false, site));
        macs.put(mac, new Located(mac, false, site));
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
        return CompletableFuture.completedFuture(ips.get(ip));
    }

    @Override
    public CompletableFuture<Located> lookup(MacAddress mac) {
        return CompletableFuture.completedFuture(macs.get(mac));
    }

    @Override
    public void listen(Listener listener) {
    }
}
