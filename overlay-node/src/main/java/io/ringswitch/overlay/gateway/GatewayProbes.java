package io.ringswitch.overlay.gateway;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.ringswitch.overlay.metrics.Metrics;
import io.ringswitch.overlay.metrics.NodeMetrics;
import io.ringswitch.overlay.ring.RingAddress;
import io.ringswitch.overlay.ring.message.PayloadTypes;
import io.ringswitch.overlay.ring.message.RingMessage;
import io.ringswitch.overlay.ring.routing.PayloadHandler;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway probe on the ring ({@link PayloadTypes#GATEWAY_PROBE}): requests go to this node's
 * {@link GatewayPublisher} (answered only when this site is a gateway), answers to its
 * {@link GatewayChooser} (only when it is a full-tunnel client). Probes are sent unreliable: a lost
 * probe is a missed probe, which is what the chooser measures.
 */
public final class GatewayProbes implements PayloadHandler {
    private static final Logger log = LoggerFactory.getLogger(GatewayProbes.class);

    private final GatewayPublisher publisher;
    private final GatewayChooser chooser;
    private final BiConsumer<RingAddress, byte[]> send;
    private final CounterDataPoint malformed;
    private final CounterDataPoint notForUs;

    /**
     * @param publisher this site as a gateway, or null
     * @param chooser   this site as a full-tunnel client, or null
     * @param send      sends a payload of this type to a node, unreliable, {@code EXACT}
     */
    public GatewayProbes(GatewayPublisher publisher, GatewayChooser chooser, BiConsumer<RingAddress, byte[]> send,
                         NodeMetrics metrics) {
        this.malformed = GatewayMetrics.PROBES_MALFORMED.in(metrics);
        this.notForUs = GatewayMetrics.PROBES_NOT_FOR_US.in(metrics);
        this.publisher = publisher;
        this.chooser = chooser;
        this.send = send;
    }

    @Override
    public void delivered(RingMessage.Routed message) {
        GatewayProbe probe = GatewayProbeCodec.decode(message.payload());
        if (probe == null) {
            long n = Metrics.incremented(malformed);
            if (Long.bitCount(n) == 1) {
                log.warn("malformed gateway probe from {} ({} bytes; {} so far)", message.from().shortString(),
                        message.payload().length, n);
            }
            return;
        }
        if (probe instanceof GatewayProbe.Request r && publisher != null) {
            send.accept(message.from(), GatewayProbeCodec.encode(publisher.answer(r.nonce())));
        } else if (probe instanceof GatewayProbe.Reply r && chooser != null) {
            chooser.onReply(message.from(), r);
        } else {
            long n = Metrics.incremented(notForUs);
            if (Long.bitCount(n) == 1) {
                log.info("gateway probe from {} that this node does not take (it is no {}; {} so far)",
                        message.from().shortString(), probe instanceof GatewayProbe.Request ? "gateway" : "full-tunnel client", n);
            }
        }
    }

    /** Probes that did not decode. */
    public long malformed() {
        return malformed.getLongValue();
    }

    /** Requests to a node that is no gateway, answers to one that asked nothing. */
    public long notForUs() {
        return notForUs.getLongValue();
    }
}
