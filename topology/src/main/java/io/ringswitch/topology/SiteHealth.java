package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.Crawl;
import io.ringswitch.overlay.ring.RingAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Whether one site's node is up, judged from its status file: the one place that decides it for
 * {@code lab status}, the crawl, lab readiness, the demo and the tests. A node is down when it
 * wrote no status, when the process that wrote it is gone, or when the file is older than
 * {@link #STALE_AFTER} (the node writes it every second).
 *
 * @param site   the site number
 * @param status the node's last status, if it wrote one (also kept when the node is down)
 * @param why    why the node is down; empty when it is up
 */
public record SiteHealth(int site, Optional<NodeStatus> status, String why) {
    /** A status file older than this comes from a node that stopped working. */
    public static final Duration STALE_AFTER = Duration.ofSeconds(3);

    public boolean up() {
        return why.isEmpty();
    }

    /** The status of a node that is up; empty for a node that is down. */
    public Optional<NodeStatus> live() {
        return up() ? status : Optional.empty();
    }

    /** The health of every site of the lab whose run directory is {@code runDir}, now. */
    public static List<SiteHealth> of(Path runDir, int sites) {
        List<SiteHealth> out = new ArrayList<>(sites);
        for (int s = 1; s <= sites; s++) {
            out.add(of(runDir, s, System.currentTimeMillis()));
        }
        return out;
    }

    /**
     * The health of one site at wall-clock time {@code nowMillis}: the status file carries the
     * node's wall-clock write time, the one clock that two processes share.
     */
    public static SiteHealth of(Path runDir, int site, long nowMillis) {
        Optional<NodeStatus> status = NodeStatus.read(runDir.resolve("s" + site).resolve("status.json"));
        return judge(site, status, nowMillis, pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    /** The judgement itself, with the liveness of a process id given. */
    static SiteHealth judge(int site, Optional<NodeStatus> status, long nowMillis, LongPredicate alive) {
        if (status.isEmpty()) {
            return new SiteHealth(site, status, "no status written");
        }
        NodeStatus st = status.get();
        if (!alive.test(st.pid())) {
            return new SiteHealth(site, status, "process " + st.pid() + " gone");
        }
        long ageMillis = nowMillis - st.writtenAtMillis();
        if (ageMillis > STALE_AFTER.toMillis()) {
            return new SiteHealth(site, status, "status " + ageMillis / 1000 + " s old");
        }
        return new SiteHealth(site, status, "");
    }

    /** The crawl over the sites that are up: down nodes are left out, as a ring that healed leaves them out. */
    public static Crawl.Result crawl(Collection<SiteHealth> sites) {
        List<Crawl.NodeView> views = new ArrayList<>();
        for (SiteHealth site : sites) {
            site.live().ifPresent(st -> views.add(new Crawl.NodeView(RingAddress.parse(st.address()),
                    addresses(st.left()), addresses(st.right()))));
        }
        return Crawl.check(views);
    }

    /**
     * The crawl of the public ring of {@code spec}: the public sites' nodes and, for a lab with
     * private groups, the private sites' public ring nodes, as their status files show them.
     */
    public static Crawl.Result publicCrawl(LabSpec spec, List<SiteHealth> sites) {
        List<Crawl.NodeView> views = new ArrayList<>();
        for (SiteHealth site : sites) {
            Optional<NodeStatus> live = site.live();
            if (live.isEmpty() || !spec.member(site.site())) {
                continue;
            }
            NodeStatus st = live.get();
            NodeStatus.PrivateOverlayStatus p = st.privateOverlay();
            if (spec.privateGroup(site.site()) == null) {
                views.add(new Crawl.NodeView(RingAddress.parse(st.address()), addresses(st.left()), addresses(st.right())));
            } else if (p != null && p.publicJoined()) {
                views.add(new Crawl.NodeView(RingAddress.parse(p.publicAddress()), addresses(p.publicLeft()),
                        addresses(p.publicRight())));
            }
        }
        return Crawl.check(views);
    }

    private static List<RingAddress> addresses(List<String> addresses) {
        return addresses.stream().map(RingAddress::parse).toList();
    }
}
