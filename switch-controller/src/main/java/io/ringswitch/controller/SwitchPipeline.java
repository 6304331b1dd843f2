package io.ringswitch.controller;

import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.SwitchManager.SwitchPort;
import io.ringswitch.controller.pipeline.Tables;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortReason;
import org.projectfloodlight.openflow.protocol.OFPortStatus;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches one switch's events to its managers (Faucet's valve, without the logic): on a new
 * connection it empties the switch (flows, groups, meters) and lets every manager install its own;
 * it keeps the port list and tells the managers of ports that come and go; it routes each
 * PACKET_IN to the manager whose cookie the punting flow carries; it ticks them once a second and
 * polls the switch's statistics every few ticks. It is also the {@link SwitchContext} the managers
 * see. Owned by the switch channel's thread; {@link #send} may be called from any.
 */
final class SwitchPipeline implements SwitchContext {
    private static final Logger log = LoggerFactory.getLogger(SwitchPipeline.class);
    static final int ETHERNET_HEADER = 14;
    static final int STATS_EVERY_TICKS = 5;

    /** How the pipeline reaches its channel: write messages (any thread) and run tasks on the channel's thread. */
    interface Link {
        void send(List<OFMessage> messages);

        void execute(Runnable task);
    }

    private final OFFactory of;
    private final String overlayPortName;
    private final Set<String> trustedPortNames;
    private final Set<String> infrastructurePortNames;
    private final LongSupplier clock;
    private final Link link;
    private final List<SwitchManager> managers;
    private final Map<U64, SwitchManager> byCookie = new HashMap<>();
    private final Map<OFPort, SwitchPort> ports = new LinkedHashMap<>();
    private final SwitchStats stats;
    private OFPort overlayPort;
    private long ticks;
    private long shortFrames;
    private long unknownCookies;

    /** A bridge without infrastructure ports (a split tunnel, no gateway port). */
    SwitchPipeline(OFFactory of, String overlayPortName, Set<String> trustedPortNames, LongSupplier clock, Link link,
                   Function<SwitchContext, List<SwitchManager>> managers) {
        this(of, overlayPortName, trustedPortNames, Set.of(), clock, link, managers);
    }

    /**
     * @param infrastructurePortNames ports that are not host ports (see {@link SwitchPort#infrastructure()}):
     *                                only the managers that {@link SwitchManager#seesInfrastructurePorts()} hear of them
     * @param managers                builds the managers once this context exists (see {@link SwitchManagers#build})
     */
    SwitchPipeline(OFFactory of, String overlayPortName, Set<String> trustedPortNames, Set<String> infrastructurePortNames,
                   LongSupplier clock, Link link, Function<SwitchContext, List<SwitchManager>> managers) {
        this.of = of;
        this.overlayPortName = overlayPortName;
        this.trustedPortNames = Set.copyOf(trustedPortNames);
        this.infrastructurePortNames = Set.copyOf(infrastructurePortNames);
        this.clock = clock;
        this.link = link;
        this.stats = new SwitchStats(of);
        this.managers = List.copyOf(managers.apply(this));
        for (SwitchManager manager : this.managers) {
            SwitchManager previous = byCookie.put(Cookies.owner(manager.cookie()), manager);
            if (previous != null) {
                throw new IllegalArgumentException(manager + " and " + previous + " share cookie " + manager.cookie());
            }
        }
    }

    /** After a handshake: empty the switch, whatever an earlier controller left there, then every manager's state. */
    List<OFMessage> switchReady() {
        ports.clear();
        overlayPort = null;
        List<OFMessage> out = new ArrayList<>();
        out.add(of.buildFlowDelete().setTableId(TableId.ALL).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY)
                .setMatch(of.buildMatch().build()).build());
        out.add(of.buildGroupDelete().setGroup(OFGroup.ALL).setGroupType(OFGroupType.ALL).build());
        out.add(of.buildMeterMod().setCommand(OFMeterModCommand.DELETE).setMeterId(SwitchStats.ALL_METERS)
                .setMeters(List.of()).build());
        out.addAll(Tables.missFlows(of));
        for (SwitchManager manager : managers) {
            out.addAll(manager.switchReady());
        }
        out.add(of.buildBarrierRequest().build());
        return out;
    }

    /** The switch's port list (reply to PORT_DESC). */
    List<OFMessage> portsDescribed(List<OFPortDesc> described) {
        List<OFMessage> out = new ArrayList<>();
        for (OFPortDesc port : described) {
            out.addAll(added(port));
        }
        return out;
    }

    /** A port was added, removed or changed (OpenFlow 1.3.5 §7.4.3). */
    List<OFMessage> portStatus(OFPortStatus status) {
        if (status.getReason() != OFPortReason.DELETE) {
            return added(status.getDesc());
        }
        SwitchPort gone = ports.remove(status.getDesc().getPortNo());
        if (gone == null) {
            return List.of();
        }
        if (gone.overlay()) {
            log.warn("the overlay port {} left the bridge", overlayPortName);
            overlayPort = null;
        }
        List<OFMessage> out = new ArrayList<>();
        for (SwitchManager manager : managers) {
            if (told(manager, gone)) {
                out.addAll(manager.portRemoved(gone));
            }
        }
        return out;
    }

    private List<OFMessage> added(OFPortDesc desc) {
        OFPort number = desc.getPortNo();
        if (number.equals(OFPort.LOCAL) || ports.containsKey(number)) {
            return List.of();
        }
        boolean overlay = desc.getName().equals(overlayPortName);
        boolean infrastructure = !overlay && infrastructurePortNames.contains(desc.getName());
        SwitchPort port = new SwitchPort(number, desc.getName(), overlay,
                !overlay && !infrastructure && trustedPortNames.contains(desc.getName()), infrastructure);
        ports.put(number, port);
        if (overlay) {
            overlayPort = number;
            log.info("overlay port {} is OpenFlow port {}", overlayPortName, number);
        }
        List<OFMessage> out = new ArrayList<>();
        for (SwitchManager manager : managers) {
            if (told(manager, port)) {
                out.addAll(manager.portAdded(port));
            }
        }
        return out;
    }

    private static boolean told(SwitchManager manager, SwitchPort port) {
        return !port.infrastructure() || manager.seesInfrastructurePorts();
    }

    /** A frame a flow sent here: to the manager whose cookie the flow carries (OpenFlow 1.3.5 §7.4.1). */
    List<OFMessage> packetIn(OFPacketIn packetIn) {
        byte[] frame = packetIn.getData();
        if (frame.length < ETHERNET_HEADER) {
            if (Long.bitCount(++shortFrames) == 1) {
                log.warn("ignoring a PACKET_IN of {} bytes: shorter than an Ethernet header ({} so far)", frame.length, shortFrames);
            }
            return List.of();
        }
        SwitchManager manager = byCookie.get(Cookies.owner(packetIn.getCookie()));
        if (manager == null) {
            if (Long.bitCount(++unknownCookies) == 1) {
                log.warn("ignoring a PACKET_IN with cookie {}: no manager owns it ({} so far)", packetIn.getCookie(), unknownCookies);
            }
            return List.of();
        }
        return manager.packetIn(packetIn.getMatch().get(MatchField.IN_PORT), frame);
    }

    /** Once a second: the managers' timers, and every few seconds a statistics poll. */
    List<OFMessage> tick() {
        List<OFMessage> out = new ArrayList<>();
        for (SwitchManager manager : managers) {
            out.addAll(manager.tick());
        }
        if (++ticks % STATS_EVERY_TICKS == 0) {
            out.addAll(stats.requests());
        }
        return out;
    }

    void statsReply(OFStatsReply reply) {
        stats.reply(reply);
    }

    SwitchStats stats() {
        return stats;
    }

    List<SwitchManager> managers() {
        return managers;
    }

    long shortFrames() {
        return shortFrames;
    }

    long unknownCookies() {
        return unknownCookies;
    }

    /** OpenFlow port number of the overlay port, or -1 while the switch has not reported it. */
    int overlayPortNumber() {
        return overlayPort == null ? -1 : overlayPort.getPortNumber();
    }

    @Override
    public OFFactory factory() {
        return of;
    }

    @Override
    public OFPort overlayPort() {
        return overlayPort;
    }

    @Override
    public Set<OFPort> localPorts() {
        Set<OFPort> local = new LinkedHashSet<>();
        for (SwitchPort port : ports.values()) {
            if (!port.overlay() && !port.infrastructure()) {
                local.add(port.number());
            }
        }
        return Collections.unmodifiableSet(local);
    }

    @Override
    public boolean trusted(OFPort port) {
        SwitchPort known = ports.get(port);
        return known != null && known.trusted();
    }

    @Override
    public long nowMillis() {
        return clock.getAsLong();
    }

    @Override
    public void send(List<OFMessage> messages) {
        if (!messages.isEmpty()) {
            link.send(messages);
        }
    }

    @Override
    public void execute(Runnable task) {
        link.execute(task);
    }
}
