package io.ringswitch.overlay.ring.link;

import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What this node's peers saw its datagrams come from: each linked peer's latest report (a ping,
 * a pong or a link reply, all of which arrive over a link, so that with security on only authenticated
 * peers report). From these it gives the endpoints a node advertises in CONNECTs and how its NAT
 * maps it. One peer cannot move a node's advertised endpoint once two others agree on one
 * (endpoint poisoning), and a peer's report is forgotten with its link.
 */
public final class PublicEndpoints implements LinkTable.Listener {
    /** Reports kept at most (one per reporting peer). */
    static final int MAX_REPORTERS = 64;
    /** A report older than this no longer counts (every ping and pong over a link refreshes its peer's). */
    static final long FORGET_MILLIS = 30_000;

    /** How this node's NAT maps it, as status shows it. */
    public enum Mapping {
        /** No peer has reported yet. */
        UNKNOWN("unknown"),
        /** Peers see the bound endpoint: no NAT. */
        NONE("none"),
        /** Peers see one public endpoint other than the bound one (a NAT that keeps one mapping). */
        CONSISTENT("consistent"),
        /** Peers see one address with several ports: a new mapping per destination (symmetric NAT). */
        VARIES("varies");

        private final String text;

        Mapping(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * A peer's latest report, refreshed in place: every ping and pong over a link reports, and a
     * new record each time (in an access-ordered map that relinks its entry) was 7.8 % of a
     * 50,000-node simulation.
     */
    private static final class Report {
        InetSocketAddress seen;
        long at;
        /** The report's place in the order of reports: the greater, the later it came. */
        long order;

        Report(InetSocketAddress seen, long at, long order) {
            this.seen = seen;
            this.at = at;
            this.order = order;
        }
    }

    private final InetSocketAddress bound;
    private final Scheduler scheduler;
    /** The latest report of each peer; their {@link Report#order} says which came when. */
    private final Map<RingAddress, Report> reports = new HashMap<>();
    private long reportsSoFar;

    private Runnable moved = () -> { };

    public PublicEndpoints(InetSocketAddress bound, Scheduler scheduler) {
        this.bound = bound;
        this.scheduler = scheduler;
    }

    /**
     * Told when a peer sees this node at another endpoint than it did (the NAT mapping changed):
     * peers behind NATs and firewalls of their own then let in only the old one until a new punch.
     */
    public void onMoved(Runnable moved) {
        this.moved = moved;
    }

    /** The endpoint this node is bound to. */
    public InetSocketAddress bound() {
        return bound;
    }

    /** A linked peer saw this node's datagram come from {@code seen}; {@code null} is ignored. */
    public void report(RingAddress peer, InetSocketAddress seen) {
        if (seen == null || seen.getPort() == 0) {
            return;
        }
        long now = scheduler.nowMillis();
        Report previous = reports.get(peer);
        if (previous == null) {
            reports.put(peer, new Report(seen, now, ++reportsSoFar));
            if (reports.size() > MAX_REPORTERS) {
                reports.values().remove(oldest());
            }
            return;
        }
        boolean changed = previous.seen != seen && !previous.seen.equals(seen);
        previous.seen = seen;
        previous.at = now;
        previous.order = ++reportsSoFar;
        if (changed) {
            moved.run();
        }
    }

    /** The report that came first of those kept. */
    private Report oldest() {
        Report oldest = null;
        for (Report r : reports.values()) {
            if (oldest == null || r.order < oldest.order) {
                oldest = r;
            }
        }
        return oldest;
    }

    /**
     * The endpoints peers saw and agree on: those two or more peers report, most reported first;
     * while only one peer reports, the one it reports.
     */
    public List<InetSocketAddress> learned() {
        Map<InetSocketAddress, Integer> votes = votes();
        if (reports.size() == 1) {
            return List.copyOf(votes.keySet());
        }
        List<InetSocketAddress> agreed = new ArrayList<>();
        votes.forEach((endpoint, n) -> {
            if (n >= 2) {
                agreed.add(endpoint);
            }
        });
        agreed.sort((a, b) -> Integer.compare(votes.get(b), votes.get(a)));
        return agreed;
    }

    /**
     * What a CONNECT names: the bound endpoint first (unless it is a wildcard, which names no
     * host), then the learned ones, then the public address with the bound port
     * ({@link #portKeptGuess}), then the newest reported one, at most {@code max}. The last
     * one lets a punch follow a NAT mapping that just changed; a peer that lies there costs the
     * answerers one rate-limited probe ({@link ProbeLimiter}) and moves neither the learned
     * endpoints nor the mapping.
     */
    public List<InetSocketAddress> advertised(int max) {
        List<InetSocketAddress> out = new ArrayList<>(max);
        if (!bound.getAddress().isAnyLocalAddress()) {
            out.add(bound);
        }
        for (InetSocketAddress e : learned()) {
            if (out.size() < max && !out.contains(e)) {
                out.add(e);
            }
        }
        InetSocketAddress guess = portKeptGuess();
        if (guess != null && out.size() < max && !out.contains(guess)) {
            out.add(guess);
        }
        InetSocketAddress newest = newest();
        if (newest != null && out.size() < max && !out.contains(newest)) {
            // A NAT mapping that just changed: one peer has seen the new port before two agree.
            out.add(newest);
        }
        return out;
    }

    /**
     * The address most peers see this node at, with the port this node is bound to; {@code null}
     * when peers see the bound address (no NAT) or nobody reported. A NAT that keeps ports
     * (most home routers) maps a new flow there: it names where a punch can meet this node even
     * while the mappings of older flows vary (the NAT was changed or restarted, or an older flow
     * holds the port). Guessing costs the answerer one rate-limited probe.
     */
    InetSocketAddress portKeptGuess() {
        Map<InetAddress, Integer> byAddress = new HashMap<>();
        InetAddress top = null;
        for (Map.Entry<InetSocketAddress, Integer> e : votes().entrySet()) {
            InetAddress a = e.getKey().getAddress();
            int n = byAddress.merge(a, e.getValue(), Integer::sum);
            if (top == null || n > byAddress.get(top)) {
                top = a;
            }
        }
        return top == null || top.equals(bound.getAddress()) ? null : new InetSocketAddress(top, bound.getPort());
    }

    /** The endpoint of the newest report that still counts, {@code null} for none. */
    private InetSocketAddress newest() {
        Report newest = null;
        for (Report r : reports.values()) {
            if (newest == null || r.order > newest.order) {
                newest = r;
            }
        }
        return newest == null || scheduler.nowMillis() - newest.at > FORGET_MILLIS ? null : newest.seen;
    }

    /**
     * Is {@code endpoint} one of this node's own: bound, or learned (reported by peers that agree)?
     * One peer's report is not enough: a single member could otherwise name a third party's
     * address as ours and have probes to it pass the rate limit.
     */
    public boolean isOwn(InetSocketAddress endpoint) {
        return bound.equals(endpoint) || learned().contains(endpoint);
    }

    /** How the NAT maps this node, from the current reports. */
    public Mapping mapping() {
        Map<InetSocketAddress, Integer> votes = votes();
        if (votes.isEmpty()) {
            return Mapping.UNKNOWN;
        }
        if (votes.size() == 1 && votes.containsKey(bound)) {
            return Mapping.NONE;
        }
        Map<InetAddress, Set<Integer>> ports = new HashMap<>();
        for (InetSocketAddress e : votes.keySet()) {
            if (ports.computeIfAbsent(e.getAddress(), a -> new HashSet<>()).add(e.getPort())
                    && ports.get(e.getAddress()).size() > 1) {
                return Mapping.VARIES;
            }
        }
        return Mapping.CONSISTENT;
    }

    /** Reports per endpoint, from the reports that still count, oldest reporter first. */
    private Map<InetSocketAddress, Integer> votes() {
        long now = scheduler.nowMillis();
        InetSocketAddress first = null;
        boolean agree = true;
        for (Iterator<Report> it = reports.values().iterator(); it.hasNext(); ) {
            Report r = it.next();
            if (now - r.at > FORGET_MILLIS) {
                it.remove();
            } else if (first == null) {
                first = r.seen;
            } else if (agree && r.seen != first && !r.seen.equals(first)) {
                agree = false;
            }
        }
        Map<InetSocketAddress, Integer> votes = new LinkedHashMap<>();
        if (agree) {
            // The common case (every peer sees one endpoint): no order of reporters to restore.
            if (first != null) {
                votes.put(first, reports.size());
            }
            return votes;
        }
        List<Report> inOrder = new ArrayList<>(reports.values());
        inOrder.sort(Comparator.comparingLong(r -> r.order));
        for (Report r : inOrder) {
            votes.merge(r.seen, 1, Integer::sum);
        }
        return votes;
    }

    @Override
    public void linkUp(Link link) {
    }

    /** A peer's report counts while its link lasts. */
    @Override
    public void linkDown(Link link) {
        reports.remove(link.address());
    }
}
