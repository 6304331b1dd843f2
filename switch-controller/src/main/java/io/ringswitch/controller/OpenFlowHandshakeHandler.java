package io.ringswitch.controller;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesReply;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFHelloElemVersionbitmap;
import org.projectfloodlight.openflow.protocol.OFHelloFailedCode;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.U32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of the OpenFlow handshake: HELLO with version negotiation (OpenFlow 1.3.5
 * §6.3.1), then FEATURES_REQUEST. When the FEATURES_REPLY arrives it removes itself and fires
 * {@link SwitchHandshakeDone}. A switch that cannot speak 1.3 gets HELLO_FAILED/INCOMPATIBLE and
 * the channel is closed; a switch that does not finish in time is disconnected.
 */
final class OpenFlowHandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(OpenFlowHandshakeHandler.class);
    static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
    private static final int OUR_WIRE_VERSION = OFVersion.OF_13.getWireVersion();

    private final ControllerCounters counters;
    private final Duration timeout;
    private boolean helloReceived;
    private ScheduledFuture<?> timer;

    OpenFlowHandshakeHandler(ControllerCounters counters, Duration timeout) {
        this.counters = counters;
        this.timeout = timeout;
    }

    /** Our HELLO: version 1.3 with a version bitmap that holds only 1.3. */
    static OFHello hello() {
        OFHelloElem bitmap = OF13.buildHelloElemVersionbitmap()
                .setBitmaps(List.of(U32.of(1L << OUR_WIRE_VERSION)))
                .build();
        return OF13.buildHello().setXid(1).setElements(List.of(bitmap)).build();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        log.info("switch connected from {}", ctx.channel().remoteAddress());
        ctx.writeAndFlush(hello());
        timer = ctx.executor().schedule(() -> {
            log.warn("closing {}: no OpenFlow handshake within {} ms", ctx.channel().remoteAddress(),
                    timeout.toMillis());
            ctx.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ForeignHello foreign) {
            negotiate(ctx, foreign.wireVersion(), 0);
        } else if (msg instanceof OFHello peerHello) {
            negotiate(ctx, peerHello.getVersion().getWireVersion(), bitmapOf(peerHello));
        } else if (msg instanceof OFFeaturesReply features && helloReceived) {
            cancelTimer();
            counters.handshakes.increment();
            log.info("switch {} at {} completed the OpenFlow 1.3 handshake", features.getDatapathId(),
                    ctx.channel().remoteAddress());
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(new SwitchHandshakeDone(features.getDatapathId()));
        } else {
            log.debug("ignoring {} before the handshake is done", msg);
        }
    }

    /** Version bits the peer's HELLO advertises, or 0 when it carries no bitmap. */
    private static long bitmapOf(OFHello peerHello) {
        if (peerHello.getVersion().compareTo(OFVersion.OF_13) < 0) {
            return 0;
        }
        for (OFHelloElem elem : peerHello.getElements()) {
            if (elem instanceof OFHelloElemVersionbitmap versions && !versions.getBitmaps().isEmpty()) {
                return versions.getBitmaps().get(0).getValue();
            }
        }
        return 0;
    }

    private void negotiate(ChannelHandlerContext ctx, int peerVersion, long peerBitmap) {
        boolean compatible = peerBitmap != 0
                ? (peerBitmap & (1L << OUR_WIRE_VERSION)) != 0
                : Math.min(peerVersion, OUR_WIRE_VERSION) == OUR_WIRE_VERSION;
        if (!compatible) {
            counters.badVersion.increment();
            String why = "RingSwitch speaks only OpenFlow 1.3; the switch offered version " + peerVersion
                    + (peerBitmap != 0 ? " with bitmap 0x" + Long.toHexString(peerBitmap) : "");
            log.warn("closing {}: {}", ctx.channel().remoteAddress(), why);
            ctx.writeAndFlush(OF13.errorMsgs().buildHelloFailedErrorMsg()
                            .setCode(OFHelloFailedCode.INCOMPATIBLE)
                            .setData(OFErrorCauseData.of(why.getBytes(StandardCharsets.US_ASCII), OFVersion.OF_13))
                            .build())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        helloReceived = true;
        ctx.writeAndFlush(OF13.buildFeaturesRequest().setXid(2).build());
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
