package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The private overlay demo's tour (issue 19, the IPOP paper §4.4) of the lab of
 * {@code topology/labs/private.yaml} ({@link #spec}): for each member of each group, its private
 * ring address, its links and the members it found through the public ring; then a ping matrix
 * between every two sites but the two public ones, where a host reaches exactly the hosts of its
 * own group. {@code PrivateOverlayLabTest} drives the same lab with the same pieces.
 */
public final class PrivateTour {
    /** Pings per pair of the matrix: a failing pair costs its deadline, about 4 s. */
    static final int PINGS = 3;
    /** Pairs pinged at once: each from its own host namespace. */
    static final int PARALLEL = 4;

    private PrivateTour() {
    }

    /**
     * The lab of {@code topology/labs/private.yaml} under {@code name}: sites 1 and 2 the public
     * ring, sites 3 and 4 group alpha, 5 and 6 group beta, each group with its own CA.
     */
    public static LabSpec spec(String name) {
        return new LabSpec(name, 6, 1, null, null, null, null, true, null, null, null, null, null, null, null,
                Map.of("alpha", List.of(3, 4), "beta", List.of(5, 6)), null).checked();
    }

    /** The public ring's endpoints, the only ones a private site is given. */
    public static List<String> publicEndpoints(LabSpec spec) {
        return List.of(spec.siteUnderlayIp(1) + ":" + Lab.NODE_PORT, spec.siteUnderlayIp(2) + ":" + Lab.NODE_PORT);
    }

    /** A link of a member: the peer's private ring address and, when it is a site of the lab, which. */
    public record Link(String address, Integer site) {
    }

    /** A member of a group as its node reports it. */
    public record Member(String group, int site, String address, List<Link> links, List<String> found,
                         List<String> bootstraps) {
    }

    /** One pair of the matrix; {@code reachExpected} is whether the two sites are in the same group. */
    public record Cell(int from, String fromGroup, int to, String toGroup, boolean reachExpected, Ping ping) {
        public boolean asExpected() {
            return reachExpected ? ping.lossless() : ping.received() == 0;
        }
    }

    /** What the tour saw; {@link #problems} is empty when every check held. */
    public record Report(List<Member> members, List<Cell> pings, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }

        public Map<String, Object> toJson() {
            Map<String, Object> groups = new LinkedHashMap<>();
            for (Member m : members) {
                @SuppressWarnings("unchecked")
                List<Object> g = (List<Object>) groups.computeIfAbsent(m.group(), k -> new ArrayList<>());
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("site", m.site());
                one.put("address", m.address());
                one.put("links", m.links());
                one.put("members_found", m.found());
                one.put("bootstraps", m.bootstraps());
                g.add(one);
            }
            List<Object> matrix = new ArrayList<>();
            for (Cell c : pings) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("from", c.from());
                one.put("from_group", c.fromGroup());
                one.put("to", c.to());
                one.put("to_group", c.toGroup());
                one.put("expected", c.reachExpected() ? "reach" : "no reply");
                one.put("sent", c.ping().sent());
                one.put("received", c.ping().received());
                one.put("ok", c.asExpected());
                matrix.add(one);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("groups", groups);
            out.put("ping_matrix", matrix);
            out.put("ok", ok());
            out.put("problems", problems);
            return out;
        }

        /** The report as the demo prints it. */
        public List<String> lines() {
            List<String> out = new ArrayList<>();
            for (Member m : members) {
                out.add(String.format("  %-6s site %d  %s", m.group(), m.site(), m.address()));
                out.add("                links " + m.links().stream().map(l -> "site " + (l.site() == null ? "?" : l.site()) + " "
                        + l.address().substring(0, Math.min(8, l.address().length()))).toList() + ", found through the public "
                        + "ring: " + m.found().size() + ", joined through " + m.bootstraps());
            }
            List<Integer> sites = pings.stream().flatMap(c -> java.util.stream.Stream.of(c.from(), c.to())).distinct().sorted()
                    .toList();
            StringBuilder head = new StringBuilder("  ping from\\to");
            for (int s : sites) {
                head.append(String.format(" %9s", s + " " + group(s)));
            }
            out.add(head.toString());
            for (int from : sites) {
                StringBuilder row = new StringBuilder(String.format("  %-12s", from + " " + group(from)));
                for (int to : sites) {
                    Cell c = pings.stream().filter(x -> x.from() == from && x.to() == to).findFirst().orElse(null);
                    row.append(String.format(" %9s", c == null ? "-" : c.ping().received() + "/" + c.ping().sent()
                            + (c.asExpected() ? "" : "!")));
                }
                out.add(row.toString());
            }
            return out;
        }

        private String group(int site) {
            return pings.stream().filter(c -> c.from() == site || c.to() == site).map(c -> c.from() == site ? c.fromGroup()
                    : c.toGroup()).findFirst().orElse("");
        }
    }

    /**
     * How long a member may take to find the others after the lab is up: a member reads the
     * group's records every 10 s ({@code public.readSeconds}), so one that read before a later
     * member published finds it at its next read, two reads and some slack at most.
     */
    static final Duration MEMBERS_FOUND_WITHIN = Duration.ofSeconds(25);

    /**
     * Waits until every private member's status lists the other members of its group as found
     * through the public ring, or {@link #MEMBERS_FOUND_WITHIN} passed; returns whether they all did.
     * The lab is up once the private rings are consistent, which one member finding another is
     * enough for; the other may still be waiting for its next read.
     */
    public static boolean awaitMembersFound(Lab lab, Consumer<String> progress) throws InterruptedException {
        LabSpec spec = lab.spec();
        long deadline = System.nanoTime() + MEMBERS_FOUND_WITHIN.toNanos();
        long start = System.nanoTime();
        while (true) {
            List<Integer> waiting = new ArrayList<>();
            for (List<Integer> group : spec.rings().subList(1, spec.rings().size())) {
                for (int site : group) {
                    NodeStatus.PrivateOverlayStatus p = lab.nodeStatus(site).map(NodeStatus::privateOverlay).orElse(null);
                    if (p == null || p.members().size() < group.size() - 1) {
                        waiting.add(site);
                    }
                }
            }
            if (waiting.isEmpty()) {
                progress.accept("every private member found its group's others through the public ring ("
                        + (System.nanoTime() - start) / 1_000_000 + " ms)");
                return true;
            }
            if (System.nanoTime() > deadline) {
                progress.accept("sites " + waiting + " have not found their group's other members within "
                        + MEMBERS_FOUND_WITHIN.toSeconds() + " s");
                return false;
            }
            Thread.sleep(250);
        }
    }

    /** Looks at every member (once each has found the others, or after {@link #MEMBERS_FOUND_WITHIN}), pings the matrix, and checks both. */
    public static Report run(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        awaitMembersFound(lab, progress);
        List<String> problems = new ArrayList<>();
        Map<Integer, NodeStatus> status = new HashMap<>();
        Map<String, Integer> siteOf = new HashMap<>();
        for (int site = 1; site <= spec.sites(); site++) {
            NodeStatus st = lab.nodeStatus(site).orElse(null);
            if (st == null) {
                problems.add("site " + site + " has no status");
                continue;
            }
            status.put(site, st);
            siteOf.put(st.address(), site);
        }
        List<Member> members = new ArrayList<>();
        for (List<Integer> group : spec.rings().subList(1, spec.rings().size())) {
            for (int site : group) {
                NodeStatus st = status.get(site);
                if (st == null) {
                    continue;
                }
                String name = spec.privateGroup(site);
                List<Link> links = st.links().stream().map(l -> new Link(l.address(), siteOf.get(l.address()))).toList();
                NodeStatus.PrivateOverlayStatus p = st.privateOverlay();
                Member m = new Member(name, site, st.address(), links, p == null ? List.of() : p.members(),
                        p == null ? List.of() : p.bootstraps());
                members.add(m);
                progress.accept("site " + site + " (" + name + "): " + m.address() + ", links " + links);
                if (links.isEmpty()) {
                    problems.add("site " + site + " (" + name + ") has no link in its group");
                }
                for (Link l : links) {
                    if (l.site() == null || !group.contains(l.site())) {
                        problems.add("site " + site + " (" + name + ") linked outside its group: " + l);
                    }
                }
                if (m.found().size() != group.size() - 1) {
                    problems.add("site " + site + " (" + name + ") found " + m.found() + " through the public ring, not the "
                            + (group.size() - 1) + " other members");
                }
            }
        }
        List<Cell> cells = pingMatrix(lab, progress);
        for (Cell c : cells) {
            if (!c.asExpected()) {
                problems.add("site " + c.from() + " (" + c.fromGroup() + ") -> site " + c.to() + " (" + c.toGroup() + "): "
                        + c.ping().received() + "/" + c.ping().sent() + " replies, expected " + (c.reachExpected() ? "all" : "none"));
            }
        }
        return new Report(members, cells, problems);
    }

    /**
     * Pings from every site's first host to every other's, but between the two public sites (which
     * no group's claim is about), {@link #PARALLEL} pairs at a time; a pair is expected to reach when
     * both sites are in one private group, and to get no reply otherwise.
     */
    public static List<Cell> pingMatrix(Lab lab, Consumer<String> progress) throws IOException, InterruptedException {
        LabSpec spec = lab.spec();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<Cell>> pending = new ArrayList<>();
            for (int from = 1; from <= spec.sites(); from++) {
                for (int to = 1; to <= spec.sites(); to++) {
                    String a = spec.privateGroup(from);
                    String b = spec.privateGroup(to);
                    if (from == to || (a == null && b == null)) {
                        continue;
                    }
                    int f = from;
                    int t = to;
                    pending.add(pool.submit(() -> {
                        Ping ping;
                        try {
                            ping = lab.ping(f, 1, t, 1, PINGS, 0.2);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        progress.accept("ping site " + f + " -> site " + t + ": " + ping.received() + "/" + ping.sent());
                        return new Cell(f, a == null ? "public" : a, t, b == null ? "public" : b, a != null && a.equals(b), ping);
                    }));
                }
            }
            List<Cell> cells = new ArrayList<>();
            for (Future<Cell> c : pending) {
                try {
                    cells.add(c.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
                }
            }
            return cells;
        } finally {
            pool.shutdownNow();
        }
    }
}
