package io.ringswitch.overlay.secure;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.ringswitch.overlay.api.NodeStatus;
import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.security.GroupCa;
import io.ringswitch.overlay.security.NodeCertificate;
import io.ringswitch.overlay.security.NodeIdentity;
import io.ringswitch.overlay.underlay.DatagramDecoder;
import io.ringswitch.overlay.underlay.InboundFrame;
import io.ringswitch.overlay.underlay.InboundMessage;
import io.ringswitch.overlay.underlay.PathChanged;
import io.ringswitch.overlay.underlay.RingInboundHandler;
import io.ringswitch.overlay.underlay.TcpLinks;
import io.ringswitch.overlay.underlay.UdpTransport;
import io.ringswitch.overlay.underlay.UnderlayChannelInitializer;
import io.ringswitch.overlay.underlay.WireFormat;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Nodes for the secure link tests: the node's UDP pipeline (security, decoder, encoder, receiver)
 * on real loopback sockets and a real event loop each, with a clock the test can move forward.
 */
final class SecureNodes implements AutoCloseable {
    static final Instant NOW = Instant.now();
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    final GroupCa ca = GroupCa.create("lab", NOW.minusSeconds(3600), Duration.ofDays(30));

    /** One node: its channel, transport, what it received, and what it sent (sealed, as copies). */
    final class Node implements AutoCloseable {
        final NodeIdentity identity;
        final SecureLinkHandler security;
        final DatagramDecoder decoder = new DatagramDecoder(true);
        final Channel channel;
        final UdpTransport transport;
        final BlockingQueue<InboundMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<InboundFrame> frames = new LinkedBlockingQueue<>();
        /** What the ring would have been told of peers' new paths. */
        final BlockingQueue<PathChanged> moves = new LinkedBlockingQueue<>();
        /** Where messages go instead of {@link #messages}, if a test stands in for the ring. */
        volatile java.util.function.Consumer<InboundMessage> onMessage;
        /** A ring node on top, if a test made one: it then takes the messages and path changes. */
        volatile RingNode ring;
        /** A NAT in front, if a test put one there: every datagram leaves through it. */
        volatile LoopbackNat nat;
        final List<byte[]> sent = new CopyOnWriteArrayList<>();
        /** Where each UDP datagram in {@link #sent} went. */
        final List<InetSocketAddress> sentTo = new CopyOnWriteArrayList<>();
        /** TCP links, if the test asked for them (listening on the UDP port). */
        final TcpLinks tcp;
        /** The direct paths a relay may use, as the ring would give them: see {@link #route}. */
        final Map<RingAddress, PeerPath> routes = new ConcurrentHashMap<>();
        final AtomicInteger exceptions = new AtomicInteger();
        final AtomicLong clockOffset;
        /** Inbound datagrams of these header types are dropped before the node sees them. */
        final java.util.Set<Integer> deaf = ConcurrentHashMap.newKeySet();
        /** When set, what the node sends is only recorded in {@link #sent}, never delivered (the test carries it). */
        volatile boolean muted;
        /**
         * Datagrams the whole pipeline has handled, by source: counted once the read returns, so
         * that everything the pipeline does with one on the event loop has been done.
         */
        final Map<InetSocketAddress, AtomicLong> handled = new ConcurrentHashMap<>();

        Node(NodeIdentity identity, SessionSettings settings, AtomicLong clockOffset, Supplier<Instant> wall,
             InetSocketAddress at, TcpLinks tcp) throws InterruptedException {
            this.identity = identity;
            this.clockOffset = clockOffset;
            this.tcp = tcp;
            this.security = new SecureLinkHandler(identity, settings, new SecureRandom(),
                    () -> System.nanoTime() + clockOffset.get(), wall);
            security.routes(new RelayRoutes() {
                @Override
                public PeerPath directPath(RingAddress site) {
                    return routes.get(site);
                }

                @Override
                public boolean mayRelay(RingAddress from, RingAddress to) {
                    return routes.containsKey(from) && routes.containsKey(to) && !from.equals(to);
                }
            });
            UnderlayChannelInitializer init = new UnderlayChannelInitializer(tcp, security, decoder, new RingInboundHandler.Receiver() {
                @Override
                public void message(InboundMessage m) {
                    if (ring != null) {
                        ring.onMessage(m.from(), m.message());
                    } else if (onMessage != null) {
                        onMessage.accept(m);
                    } else {
                        messages.add(m);
                    }
                }

                @Override
                public void frame(InboundFrame f) {
                    frames.add(f);
                }

                @Override
                public void burstEnd() {
                }

                @Override
                public void pathChanged(RingAddress peer, PeerPath path) {
                    moves.add(new PathChanged(peer, path));
                    if (ring != null) {
                        ring.pathChanged(peer, path);
                    }
                }
            });
            // Socket buffers as the node's own (UnderlayTransport asks for 8 MB; the kernel gives up to
            // rmem_max): a queue of datagrams flushed at once must not overflow the default 208 KB.
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .option(io.netty.channel.ChannelOption.SO_RCVBUF, 8 << 20).handler(new io.netty.channel.ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("tap", new ChannelDuplexHandler() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            if (nat != null && msg instanceof DatagramPacket p && !(msg instanceof LoopbackNat.Translated)) {
                                p.release();
                                return;
                            }
                            if (msg instanceof DatagramPacket p && !deaf.isEmpty() && p.content().readableBytes() >= 4
                                    && deaf.contains((int) p.content().getUnsignedByte(p.content().readerIndex() + 3))) {
                                p.release();
                                return;
                            }
                            InetSocketAddress source = msg instanceof DatagramPacket p ? p.sender() : null;
                            ctx.fireChannelRead(msg);
                            if (source != null) {
                                handled.computeIfAbsent(source, k -> new AtomicLong()).incrementAndGet();
                            }
                        }

                        @Override
                        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                            if (msg instanceof DatagramPacket p) {
                                ByteBuf c = p.content();
                                byte[] copy = new byte[c.readableBytes()];
                                c.getBytes(c.readerIndex(), copy);
                                sent.add(copy);
                                sentTo.add(p.recipient());
                                if (muted) {
                                    p.release();
                                    promise.trySuccess();
                                    return;
                                }
                                LoopbackNat through = nat;
                                if (through != null) {
                                    through.send(p.content().retain(), p.recipient());
                                    p.release();
                                    promise.trySuccess();
                                    return;
                                }
                            }
                            ctx.write(msg, promise);
                        }
                    });
                    init.initChannel(ch);
                    ch.pipeline().addLast("errors", new io.netty.channel.ChannelInboundHandlerAdapter() {
                        @Override
                        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                            exceptions.incrementAndGet();
                        }
                    });
                }
            }).bind(at).sync().channel();
            transport = new UdpTransport(channel, false, SecureLinkHandler.LEAD, SecureLinkHandler.TAIL);
            if (tcp != null) {
                tcp.listen(endpoint());
            }
        }

        RingAddress address() {
            return identity.certificate().address();
        }

        /** Lets this node reach {@code other} directly over UDP, as a relay (a ring with a link there would). */
        void route(Node other) {
            routes.put(other.address(), other.path());
        }

        InetSocketAddress endpoint() {
            return (InetSocketAddress) channel.localAddress();
        }

        PeerPath.Udp path() {
            return new PeerPath.Udp(endpoint());
        }

        /** Runs {@code work} on the node's event loop and waits for it. */
        <T> T onLoop(Callable<T> work) throws Exception {
            return channel.eventLoop().submit(work).get(5, TimeUnit.SECONDS);
        }

        NodeStatus.SecurityStats stats() throws Exception {
            return onLoop(() -> security.snapshot());
        }

        long keepalivesSent() throws Exception {
            return onLoop(security::keepalivesSent);
        }

        long roamed() throws Exception {
            return onLoop(security::roamed);
        }

        /**
         * Waits for the node's next upkeep tick to run in full: one that started after this call, and
         * so after any move of its clocks before it. What the tick would do has then been done, so
         * that a test may check that something did not happen without a window of real time.
         */
        void awaitTick() throws Exception {
            long before = onLoop(security::ticks);
            if (!await(() -> onLoop(security::ticks) > before, 10)) {
                throw new AssertionError("no upkeep tick within 10 s");
            }
        }

        /**
         * Waits until this node's pipeline has handled every UDP datagram {@code from} sent to it
         * (from {@code from}'s own endpoint, not through a NAT), from the {@code since}th datagram
         * {@code from} sent on: what a check that nothing arrived needs to know first. Datagrams
         * that end at the handshake thread need {@link #awaitHandshakeWork} too. Not for a muted
         * {@code from} or a deaf receiver: what they drop is never handled.
         */
        void awaitHandled(Node from, int since) throws Exception {
            long wanted = from.onLoop(() -> {
                long n = 0;
                for (int i = since; i < from.sentTo.size(); i++) {
                    n += from.sentTo.get(i).equals(endpoint()) ? 1 : 0;
                }
                return n;
            });
            Callable<Long> got = () -> onLoop(() -> {
                AtomicLong n = handled.get(from.endpoint());
                return n == null ? 0 : n.get();
            });
            if (!await(() -> got.call() >= wanted, 10)) {
                throw new AssertionError("handled " + got.call() + " of the " + wanted + " datagrams "
                        + from.identity.certificate().name() + " sent");
            }
        }

        /** {@link #awaitHandled(Node, int)} of everything {@code from} sent. */
        void awaitHandled(Node from) throws Exception {
            awaitHandled(from, 0);
        }

        /**
         * Waits until the handshake thread has done the work handed to it so far and the event loop
         * has run what that work handed back (sessions made, refusals counted, answers sent).
         */
        void awaitHandshakeWork() throws Exception {
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            if (!await(() -> onLoop(() -> security.afterHandshakes(() -> done.complete(null))), 10)) {
                throw new AssertionError("the handshake queue stayed full for 10 s");
            }
            done.get(10, TimeUnit.SECONDS);
            onLoop(() -> null);
        }

        long refused(String reason) throws Exception {
            return onLoop(() -> security.refused(reason));
        }

        /** Feeds {@code bytes} into the pipeline as if they came from {@code from}. */
        void inject(byte[] bytes, InetSocketAddress from) throws Exception {
            onLoop(() -> {
                channel.pipeline().fireChannelRead(new DatagramPacket(Unpooled.copiedBuffer(bytes), endpoint(), from));
                return null;
            });
        }

        @Override
        public void close() {
            channel.close().awaitUninterruptibly();
        }
    }

    Node node(String name) throws Exception {
        return node(identity(ca, name, NOW, Duration.ofDays(1)), SessionSettings.defaults(), Instant::now);
    }

    Node node(NodeIdentity identity, SessionSettings settings, Supplier<Instant> wall) throws Exception {
        return node(identity, settings, wall, new InetSocketAddress("127.0.0.1", 0));
    }

    Node node(NodeIdentity identity, SessionSettings settings, Supplier<Instant> wall, InetSocketAddress at)
            throws Exception {
        return new Node(identity, settings, new AtomicLong(), wall, at, null);
    }

    /** A node with TCP links too, which close after {@code idleSeconds} without traffic. */
    Node nodeWithTcp(String name, long idleSeconds) throws Exception {
        return new Node(identity(ca, name, NOW, Duration.ofDays(1)), SessionSettings.defaults(), new AtomicLong(),
                Instant::now, new InetSocketAddress("127.0.0.1", 0), new TcpLinks(false, idleSeconds));
    }

    static NodeIdentity identity(GroupCa ca, String name, Instant from, Duration validity) throws Exception {
        KeyPair key = GroupCa.newKeyPair();
        return new NodeIdentity(key.getPrivate(), NodeCertificate.readUnverified(ca.issue(name, key.getPublic(),
                Optional.empty(), from, validity)), ca.certificate());
    }

    /** {@code identity}'s key and certificate, checked against another group's CA. */
    static NodeIdentity trusting(NodeIdentity identity, GroupCa other) {
        return new NodeIdentity(identity.key(), identity.certificate(), other.certificate());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    /** A link message from {@code from}, which its certificate must back: a ping with {@code nonce}. */
    static RingMessage ping(Node from, long nonce) {
        return new RingMessage.Ping(from.address(), nonce, null);
    }

    /** Waits up to {@code seconds} for {@code check}. */
    static boolean await(Callable<Boolean> check, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            if (check.call()) {
                return true;
            }
            Thread.sleep(20);
        }
        return check.call();
    }

    static int headerType(byte[] datagram) {
        return datagram.length >= WireFormat.HEADER_LENGTH ? datagram[3] & 0xff : -1;
    }

    /** Copies of everything r's secure layer passes up its pipeline. */
    static List<byte[]> spy(SecureNodes.Node r) throws Exception {
        List<byte[]> seen = new CopyOnWriteArrayList<>();
        r.onLoop(() -> r.channel.pipeline().addAfter("security", "spy", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBufHolder h) {
                    ByteBuf c = h.content();
                    byte[] copy = new byte[c.readableBytes()];
                    c.getBytes(c.readerIndex(), copy);
                    seen.add(copy);
                }
                ctx.fireChannelRead(msg);
            }
        }));
        return seen;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Sends {@code m} from {@code from} to {@code to} on its event loop (sealed on the way out). */
    static void send(SecureNodes.Node from, PeerPath to, RingMessage m) throws Exception {
        from.onLoop(() -> {
            from.transport.send(to, m);
            return null;
        });
    }
}
