package io.ringswitch.overlay.control;

import io.ringswitch.overlay.ring.PeerPath;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.echo.RingEcho;
import io.ringswitch.overlay.ring.link.Link;
import io.ringswitch.overlay.ring.node.RingNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Turns a ping target into echoes over the ring and a {@link PingReport}, as {@code tailscale ping}
 * does: each echo says whether it went over a link of its own (UDP or TCP), over a relayed link
 * and which relay, or was routed over the ring, with the hops each way and the round trip. A
 * target is a ring address (40 hex digits), a host's IP address (the site that published it in
 * the DHT directory), or a site name ({@code names}: a plaintext ring's address of the name, a
 * secure ring's peer whose certificate has it). Asynchronous: all ring work goes to the node's
 * thread through {@code loop}, and the control socket's thread waits for the report.
 */
public final class RingPinger {
    /** How long one echo waits for its answer. */
    public static final long ECHO_TIMEOUT_MILLIS = 2_000;

    private final RingNode ring;
    private final RingEcho echo;
    private final Executor loop;
    private final Function<InetAddress, CompletableFuture<RingAddress>> hosts;
    private final Function<String, RingAddress> names;

    /**
     * @param hosts the site that published a host's IP address (null when none); called on the loop
     * @param names the site a name names, null when none; called on the loop
     */
    public RingPinger(RingNode ring, RingEcho echo, Executor loop, Function<InetAddress, CompletableFuture<RingAddress>> hosts,
                      Function<String, RingAddress> names) {
        this.ring = ring;
        this.echo = echo;
        this.loop = loop;
        this.hosts = hosts;
        this.names = names;
    }

    /**
     * Resolves {@code target} and echoes it {@code count} times, one after the other; the future
     * fails with an {@link IllegalArgumentException} when the target names no site found. Each echo
     * ends by itself (answer or time-out), so the whole ends within {@code count} time-outs after the
     * target is found.
     */
    public CompletableFuture<PingReport> ping(String target, int count) {
        return resolve(target).thenCompose(address -> echoes(target, address, 1, count, new ArrayList<>()));
    }

    private CompletableFuture<PingReport> echoes(String target, RingAddress address, int seq, int count,
                                                 List<PingReport.Reply> replies) {
        return once(seq, address).thenCompose(reply -> {
            replies.add(reply);
            return seq < count ? echoes(target, address, seq + 1, count, replies)
                    : CompletableFuture.completedFuture(new PingReport(target, address.toString(), List.copyOf(replies)));
        });
    }

    private CompletableFuture<RingAddress> resolve(String target) {
        if (target.matches("[0-9a-fA-F]{40}")) {
            return CompletableFuture.completedFuture(RingAddress.parse(target));
        }
        if (target.matches("[0-9.]{7,15}") || target.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            InetAddress ip;
            try {
                ip = InetAddress.getByName(target); // a literal: no name lookup
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("'" + target + "' is no IP address"));
            }
            return CompletableFuture.supplyAsync(() -> hosts.apply(ip), loop).thenCompose(f -> f).thenApply(site -> {
                if (site == null) {
                    throw new IllegalArgumentException("no site published " + target + " in the directory");
                }
                return site;
            });
        }
        return CompletableFuture.supplyAsync(() -> {
            RingAddress named = names.apply(target);
            if (named == null) {
                throw new IllegalArgumentException("no site named '" + target + "' is known to this node: give its ring "
                        + "address (40 hex digits) or the IP address of one of its hosts");
            }
            return named;
        }, loop);
    }

    private CompletableFuture<PingReport.Reply> once(int seq, RingAddress target) {
        record Sent(PeerPath path, CompletableFuture<RingEcho.Result> answer) {
        }
        return CompletableFuture.supplyAsync(() -> {
            Link link = ring.link(target);
            return new Sent(link == null ? null : link.path(), echo.echo(target, ECHO_TIMEOUT_MILLIS));
        }, loop).thenCompose(sent -> sent.answer().handle((r, e) -> r != null
                ? reply(seq, target, sent.path(), r.hopsThere(), r.hopsBack(), r.rttNanos() / 1e6, null)
                : reply(seq, target, sent.path(), 0, 0, -1, rootCause(e).getMessage())));
    }

    private static Throwable rootCause(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** How the echo went: over the link when it took one hop on one, else routed. */
    private PingReport.Reply reply(int seq, RingAddress target, PeerPath path, int there, int back, double rtt, String error) {
        String way;
        String via = null;
        String overPath = null;
        if (target.equals(ring.address())) {
            way = "self";
        } else if (path != null && (there == 1 || error != null)) {
            overPath = path.toString();
            if (path instanceof PeerPath.Relay relay) {
                way = "relay";
                via = relay.via().toString();
            } else {
                way = "direct";
            }
        } else {
            way = "ring";
        }
        return new PingReport.Reply(seq, way, overPath, via, there, back, Math.round(rtt * 1000) / 1000.0, error);
    }
}
