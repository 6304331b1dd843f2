package io.ringswitch.overlay.ring;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A few dozen ring nodes on virtual time with a fixed 5 ms one-way delay: enough to test the
 * node's behaviour without sockets. Every message sent is also recorded.
 */
final class FakeRingNetwork implements Scheduler {
    private record Event(long time, long seq, Runnable task, boolean[] cancelled) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    /** A recorded message. */
    record Sent(InetSocketAddress from, InetSocketAddress to, RingMessage message) {
    }

    /** What the application of one node received. */
    static final class Inbox implements RingListener {
        final List<RingMessage> unused = new ArrayList<>();
        final List<Integer> hops = new ArrayList<>();
        final List<RingAddress> sources = new ArrayList<>();
        int broadcasts;

        @Override
        public void delivered(RingAddress source, int payloadType, byte[] payload, int hopCount) {
            sources.add(source);
            hops.add(hopCount);
        }

        @Override
        public void broadcastDelivered(RingAddress origin, int payloadType, byte[] payload) {
            broadcasts++;
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Random random;
    final List<RingNode> nodes = new ArrayList<>();
    final Map<RingNode, Inbox> inboxes = new HashMap<>();
    private final Map<InetSocketAddress, RingNode> byEndpoint = new HashMap<>();
    final List<Sent> sent = new ArrayList<>();
    private final java.util.Set<InetSocketAddress> silenced = new java.util.HashSet<>();
    private long now;
    private long seq;

    FakeRingNetwork(long seed) {
        this.random = new Random(seed);
    }

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = new boolean[1];
        queue.add(new Event(now + delayMillis, seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    static InetSocketAddress endpoint(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 5800);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    RingNode add(RingConfig config) {
        InetSocketAddress me = endpoint(nodes.size() + 1);
        Inbox inbox = new Inbox();
        RingNode node = new RingNode(new Contact(RingAddress.random(random), me), config, this,
                (to, message) -> transmit(me, to, message), inbox, new Random(random.nextLong()));
        nodes.add(node);
        inboxes.put(node, inbox);
        byEndpoint.put(me, node);
        return node;
    }

    void transmit(InetSocketAddress from, InetSocketAddress to, RingMessage message) {
        sent.add(new Sent(from, to, message));
        if (silenced.contains(to)) {
            return;
        }
        schedule(5, () -> {
            RingNode dst = byEndpoint.get(to);
            if (dst != null) {
                dst.onMessage(from, message);
            }
        });
    }

    /** While {@code silent}, everything sent to {@code endpoint} is lost (the node is alive but unreachable). */
    void drop(InetSocketAddress endpoint, boolean silent) {
        if (silent) {
            silenced.add(endpoint);
        } else {
            silenced.remove(endpoint);
        }
    }

    /** Puts a restarted node in the place of the old one (same endpoint). */
    void replace(RingNode old, RingNode fresh) {
        nodes.set(nodes.indexOf(old), fresh);
        inboxes.put(fresh, inboxes.get(old));
        byEndpoint.put(fresh.self().endpoint(), fresh);
    }

    /** Starts {@code n} nodes, each joining through the first, and runs until {@code settleMillis}. */
    void ring(int n, RingConfig config, long settleMillis) {
        RingNode first = add(config);
        first.start(List.of());
        for (int i = 1; i < n; i++) {
            RingNode node = add(config);
            schedule(i * 50L, () -> node.start(List.of(first.self().endpoint())));
        }
        run(settleMillis);
    }

    void run(long millis) {
        long until = now + millis;
        while (!queue.isEmpty() && queue.peek().time() <= until) {
            Event e = queue.poll();
            now = e.time();
            if (!e.cancelled()[0]) {
                e.task().run();
            }
        }
        now = until;
    }

    Crawl.Result crawl() {
        return Crawl.check(nodes.stream().filter(RingNode::isRunning).map(Crawl::of).toList());
    }
}
