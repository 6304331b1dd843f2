package io.ringswitch.overlay.ring.echo;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.CounterKey;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.Scheduler;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.message.RoutingMode;
import io.ringswitch.overlay.ring.node.RingNode;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Echo over the ring ({@link PayloadTypes#ECHO}): {@link #echo} routes a request to a node
 * (exactly there, never to the nearest), which answers with the hops the request took; the
 * answer's own hops and the time between give the way back and the round trip. To a linked peer
 * the request takes the link (one hop), so the same echo measures a direct link and a route
 * over the ring. Every node answers every member's request, one answer per request, as a ping
 * would; answers that match no request of this node, and payloads that are no echo, are
 * counted and dropped. Runs on the node's thread.
 */
public final class RingEcho implements PayloadHandler {
    private static final Logger log = LoggerFactory.getLogger(RingEcho.class);
    /** Requests awaiting their answer at most: a ping is one at a time, a burst of them a handful. */
    static final int MAX_PENDING = 64;

    /**
     * How one echo went.
     *
     * @param hopsThere ring hops the request took (1: over a link of its own)
     * @param hopsBack  ring hops the answer took
     * @param rttNanos  from the request's sending to the answer's arrival
     */
    public record Result(int hopsThere, int hopsBack, long rttNanos) {
    }

    private record Pending(RingAddress target, long sentNanos, CompletableFuture<Result> answer,
                           Scheduler.Cancellable timer) {
    }

    private final RingNode ring;
    private final Scheduler scheduler;
    private final Random random;
    private final LongSupplier nanos;
    private final Map<Long, Pending> pending = new HashMap<>();
    private static final String ECHOES = "ringswitch_echoes_total";
    private static final String ECHOES_HELP = "Ring echoes (ringswitch ping): requests of others answered, and requests of ours timed out.";
    /** Requests of others this node answered. */
    public static final CounterKey ANSWERED = CounterKey.of(ECHOES, ECHOES_HELP, "event", "answered");
    /** Requests of ours that no answer came for in time. */
    public static final CounterKey TIMED_OUT = CounterKey.of(ECHOES, ECHOES_HELP, "event", "timed_out");
    /** Echo payloads that did not decode. */
    public static final CounterKey MALFORMED = CounterKey.refused("echo", "malformed");
    /** Answers that matched no request under way. */
    public static final CounterKey UNEXPECTED = CounterKey.refused("echo", "unexpected-answer");
    private final CounterDataPoint answered;
    private final CounterDataPoint malformed;
    private final CounterDataPoint unexpected;
    private final CounterDataPoint timedOut;

    /**
     * An echo on {@code ring}, registered for its payload type; {@code nanos} a monotonic clock of
     * nanoseconds (the ring's own clock counts milliseconds, too coarse for a LAN's round trip).
     */
    public RingEcho(RingNode ring, Scheduler scheduler, Random random, LongSupplier nanos) {
        this.ring = ring;
        this.scheduler = scheduler;
        this.random = random;
        this.nanos = nanos;
        this.answered = ANSWERED.in(ring.metrics());
        this.timedOut = TIMED_OUT.in(ring.metrics());
        this.malformed = MALFORMED.in(ring.metrics());
        this.unexpected = UNEXPECTED.in(ring.metrics());
        ring.register(PayloadTypes.ECHO, this);
    }

    /**
     * Routes a request to {@code target}; the future ends with the result, or exceptionally when
     * no answer came within {@code timeoutMillis} or too many requests are under way.
     */
    public CompletableFuture<Result> echo(RingAddress target, long timeoutMillis) {
        CompletableFuture<Result> answer = new CompletableFuture<>();
        if (pending.size() >= MAX_PENDING) {
            answer.completeExceptionally(new IllegalStateException(pending.size() + " echoes under way already"));
            return answer;
        }
        long nonce = random.nextLong();
        Scheduler.Cancellable timer = scheduler.schedule(timeoutMillis, () -> {
            Pending p = pending.remove(nonce);
            if (p != null) {
                timedOut.inc();
                p.answer().completeExceptionally(new java.util.concurrent.TimeoutException(
                        "no answer from " + target.shortString() + " within " + timeoutMillis + " ms"));
            }
        });
        pending.put(nonce, new Pending(target, nanos.getAsLong(), answer, timer));
        ring.send(target, RoutingMode.EXACT, PayloadTypes.ECHO, EchoCodec.encode(new EchoCodec.Echo(false, nonce, 0)), false);
        return answer;
    }

    @Override
    public void delivered(RingMessage.Routed message) {
        EchoCodec.Echo echo = EchoCodec.decode(message.payload()).orElse(null);
        if (echo == null) {
            long n = Metrics.incremented(malformed);
            if (Long.bitCount(n) == 1) {
                log.info("{}: an echo payload of {} bytes from {} is no echo; dropped ({} so far)",
                        ring.address().shortString(), message.payload().length, message.from().shortString(), n);
            }
            return;
        }
        if (!echo.reply()) {
            answered.inc();
            ring.send(message.from(), RoutingMode.EXACT, PayloadTypes.ECHO,
                    EchoCodec.encode(new EchoCodec.Echo(true, echo.nonce(), message.hops())), false);
            return;
        }
        Pending p = pending.get(echo.nonce());
        if (p == null || !p.target().equals(message.from())) {
            // Late (after its time-out), never asked for, or from another node than the one asked.
            long n = Metrics.incremented(unexpected);
            if (Long.bitCount(n) == 1) {
                log.info("{}: an echo answer from {} matches no request of ours; dropped ({} so far)",
                        ring.address().shortString(), message.from().shortString(), n);
            }
            return;
        }
        pending.remove(echo.nonce());
        p.timer().cancel();
        p.answer().complete(new Result(echo.requestHops(), message.hops(), nanos.getAsLong() - p.sentNanos()));
    }

    /** Requests of others this node answered. */
    public long answered() {
        return answered.getLongValue();
    }

    /** Echo payloads that did not decode. */
    public long malformed() {
        return malformed.getLongValue();
    }

    /** Answers that matched no request under way (late, unasked, or from another node than asked). */
    public long unexpected() {
        return unexpected.getLongValue();
    }

    /** Requests whose answer did not come in time. */
    public long timedOut() {
        return timedOut.getLongValue();
    }
}
