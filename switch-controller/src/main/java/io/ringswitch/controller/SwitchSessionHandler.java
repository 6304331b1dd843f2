package io.ringswitch.controller;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringswitch.controller.api.DhcpStats;
import io.ringswitch.controller.api.SwitchListener;
import io.ringswitch.controller.dhcp.DhcpManager;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFlowMod;
import org.projectfloodlight.openflow.protocol.OFFlowRemoved;
import org.projectfloodlight.openflow.protocol.OFPacketOut;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsReply;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin layer between one switch channel and its switch's {@link SwitchPipeline} (which outlives
 * the channel, see {@link SwitchLink}): hands it the messages
 * it cares about, writes back what it returns, ticks it once a second on the channel's event loop,
 * and keeps a snapshot of it for status. Also the last stop for stray messages (counted and
 * logged, never thrown).
 */
final class SwitchSessionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SwitchSessionHandler.class);

    private final Bridges bridges;
    private final ControllerCounters counters;
    private final SwitchListener listener;
    private final SwitchRegistry registry;
    private SwitchPipeline logic;
    private SwitchLink.Writer writer;
    private ScheduledFuture<?> ticker;
    private DatapathId dpid;
    volatile Snapshot snapshot = Snapshot.EMPTY;

    SwitchSessionHandler(Bridges bridges, ControllerCounters counters, SwitchListener listener, SwitchRegistry registry) {
        this.bridges = bridges;
        this.counters = counters;
        this.listener = listener;
        this.registry = registry;
    }

    /** Where the controller keeps each switch's pipeline across its channels (see {@link SwitchLink}). */
    interface Bridges {
        /** The pipeline of {@code dpid} (built on its first connection), now linked to this channel. */
        SwitchPipeline attach(DatapathId dpid, ChannelHandlerContext ctx, SwitchLink.Writer writer);

        /** The channel closed: the pipeline stays, without a channel until the switch connects again. */
        void detach(DatapathId dpid, SwitchLink.Writer writer);
    }

    /** Where the controller keeps its live sessions, for status. */
    interface SwitchRegistry {
        void add(DatapathId dpid, SwitchSessionHandler session);

        void remove(DatapathId dpid, SwitchSessionHandler session);
    }

    /** What status shows of one switch; -1 while the switch has not answered a statistics request. */
    record Snapshot(int overlayPort, int flows, int groups, int meters, Map<String, Long> counters, DhcpStats dhcp) {
        static final Snapshot EMPTY = new Snapshot(-1, -1, -1, -1, Map.of(), null);
    }

    DatapathId dpid() {
        return dpid;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SwitchHandshakeDone done) {
            dpid = done.dpid();
            writer = messages -> send(ctx, messages);
            logic = bridges.attach(dpid, ctx, writer);
            send(ctx, logic.switchReady());
            ctx.writeAndFlush(OpenFlowHandshakeHandler.OF13.buildSetConfig().setMissSendLen(0xffff).build());
            ctx.writeAndFlush(OpenFlowHandshakeHandler.OF13.buildPortDescStatsRequest().build());
            ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), 1, 1, TimeUnit.SECONDS);
            registry.add(dpid, this);
            listener.switchConnected(dpid);
            refresh();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void tick(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            send(ctx, logic.tick());
            refresh();
        }
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
        } else if (message instanceof OFStatsReply stats) {
            logic.statsReply(stats);
        } else if (message instanceof OFFlowRemoved removed) {
            logic.stats().flowRemoved(removed);
        } else if (message instanceof OFPortStatus status) {
            send(ctx, logic.portStatus(status));
        } else if (message instanceof OFErrorMsg error) {
            counters.switchErrors.increment();
            log.warn("switch {} reported an error: {}", dpid, error);
        } else {
            log.trace("switch {}: {}", dpid, message.getType());
        }
        refresh();
    }

    private void refresh() {
        SwitchStats stats = logic.stats();
        Map<String, Long> named = new HashMap<>(stats.counters(logic.managers()));
        named.put("packet_in_short", logic.shortFrames());
        named.put("packet_in_unknown_cookie", logic.unknownCookies());
        named.put("flow_stats_polls", stats.flowPolls());
        DhcpStats dhcp = logic.managers().stream().filter(m -> m instanceof DhcpManager).map(m -> ((DhcpManager) m).stats())
                .findFirst().orElse(null);
        snapshot = new Snapshot(logic.overlayPortNumber(), stats.flows(), stats.groups(), stats.meters(), Map.copyOf(named),
                dhcp);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (dpid != null) {
            bridges.detach(dpid, writer);
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
        if (messages.isEmpty() || !ctx.channel().isActive()) {
            return;
        }
        for (OFMessage message : messages) {
            if (message instanceof OFPacketOut) {
                counters.packetOuts.increment();
            } else if (message instanceof OFFlowMod) {
                counters.flowMods.increment();
            }
            ctx.write(message, ctx.voidPromise());
        }
        ctx.flush();
    }
}
