package io.ringswitch.controller;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.ringswitch.controller.api.SwitchListener;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin layer between one switch channel and its {@link LearningSwitch}: hands it the messages
 * it cares about and writes back what it returns. Also the last stop for stray messages (counted
 * and logged, never thrown).
 */
final class SwitchSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SwitchSessionHandler.class);

    private final LearningSwitch logic;
    private final ControllerCounters counters;
    private final SwitchListener listener;
    private final SwitchRegistry registry;
    private DatapathId dpid;
    volatile int learnedMacs;
    volatile int overlayPort = -1;

    SwitchSessionHandler(LearningSwitch logic, ControllerCounters counters, SwitchListener listener,
                         SwitchRegistry registry) {
        this.logic = logic;
        this.counters = counters;
        this.listener = listener;
        this.registry = registry;
    }

    /** Where the controller keeps its live sessions, for status. */
    interface SwitchRegistry {
        void add(DatapathId dpid, SwitchSessionHandler session);

        void remove(DatapathId dpid, SwitchSessionHandler session);
    }

    DatapathId dpid() {
        return dpid;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SwitchHandshakeDone done) {
            dpid = done.dpid();
            send(ctx, logic.switchReady());
            ctx.writeAndFlush(OpenFlowHandshakeHandler.OF13.buildSetConfig().setMissSendLen(0xffff).build());
            ctx.writeAndFlush(OpenFlowHandshakeHandler.OF13.buildPortDescStatsRequest().build());
            registry.add(dpid, this);
            listener.switchConnected(dpid);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof OFMessage message)) {
            log.debug("ignoring {} after the handshake", msg);
            return;
        }
        if (message.getVersion() != OFVersion.OF_13) {
            counters.badVersion.increment();
            log.warn("dropped a {} message in {} from switch {}: the channel speaks OpenFlow 1.3",
                    message.getType(), message.getVersion(), dpid);
            ctx.writeAndFlush(OpenFlowHandshakeHandler.OF13.errorMsgs().buildBadRequestErrorMsg()
                    .setXid(message.getXid()).setCode(OFBadRequestCode.BAD_VERSION)
                    .setData(OFErrorCauseData.of("expected OpenFlow 1.3".getBytes(StandardCharsets.US_ASCII),
                            OFVersion.OF_13))
                    .build());
            return;
        }
        if (message instanceof OFPacketIn packetIn) {
            counters.packetIns.increment();
            send(ctx, logic.packetIn(packetIn));
        } else if (message instanceof OFPortDescStatsReply ports) {
            send(ctx, logic.portsDescribed(ports.getEntries()));
        } else if (message instanceof OFPortStatus status) {
            send(ctx, logic.portStatus(status));
        } else if (message instanceof OFErrorMsg error) {
            counters.switchErrors.increment();
            log.warn("switch {} reported an error: {}", dpid, error);
        } else {
            log.trace("switch {}: {}", dpid, message.getType());
        }
        learnedMacs = logic.learnedMacs();
        overlayPort = logic.overlayPortNumber();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (dpid != null) {
            log.info("switch {} disconnected", dpid);
            registry.remove(dpid, this);
            listener.switchDisconnected(dpid);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("closing OpenFlow channel {} after an error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void send(ChannelHandlerContext ctx, List<OFMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        for (OFMessage message : messages) {
            if (message instanceof OFFlowMod) {
                counters.flowMods.increment();
            }
            ctx.write(message, ctx.voidPromise());
        }
        ctx.flush();
    }
}
