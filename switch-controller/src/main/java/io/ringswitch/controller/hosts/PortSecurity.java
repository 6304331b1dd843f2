package io.ringswitch.controller.hosts;

import io.ringswitch.controller.hosts.PortSecurityRules.Rule;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.Tables;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Ingress port security (table PORT_SECURITY): an untrusted port may send only from the MACs and
 * addresses the {@link HostManager} bound to it; frames from the overlay port and trusted ports
 * pass; a group source MAC is dropped everywhere. Sources not bound yet go to the controller under
 * the port's packet-in meter and are handed to the host manager, which binds or refuses them;
 * everything else is dropped by counted flows ({@link PortSecurityRules} lists the rules and their
 * priorities). Flows follow the host bindings: each binding event adds or deletes exactly its rules.
 */
public final class PortSecurity implements SwitchManager, HostListener {
    private final SwitchContext ctx;
    private final HostManager hosts;
    private final Flows flows;
    private final Flows drops;
    private final PortSecurityRules rules;

    /** Port security for the bindings of {@code hosts}; registers itself as their listener. */
    public PortSecurity(SwitchContext ctx, HostManager hosts) {
        this.ctx = ctx;
        this.hosts = hosts;
        this.flows = new Flows(ctx.factory(), Cookies.PORT_SECURITY);
        this.drops = new Flows(ctx.factory(), DROP_COOKIE);
        this.rules = new PortSecurityRules(ctx.factory());
        hosts.addListener(this);
    }

    /** The priorities of this manager's drop flows in PORT_SECURITY: their packet counts sum to "spoof_dropped". */
    public static List<Integer> dropPriorities() {
        return PortSecurityRules.DROP_PRIORITIES;
    }

    /** The drop flows' sub-cookie: their packet counts are "spoof_dropped". */
    public static final U64 DROP_COOKIE = Cookies.sub(Cookies.PORT_SECURITY, 1);

    @Override
    public Map<String, U64> flowCounters() {
        return Map.of("spoof_dropped", DROP_COOKIE);
    }

    @Override
    public U64 cookie() {
        return Cookies.PORT_SECURITY;
    }

    /** The global rules and each known port's; the bindings' rules come from the host manager's replay. */
    @Override
    public List<OFMessage> switchReady() {
        List<OFMessage> out = new ArrayList<>();
        out.add(add(rules.groupSourceDrop()));
        if (ctx.overlayPort() != null) {
            out.add(add(rules.pass(ctx.overlayPort())));
        }
        for (OFPort port : ctx.localPorts()) {
            out.addAll(portRules(port));
        }
        return out;
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        if (port.overlay()) {
            return List.of(add(rules.pass(port.number())));
        }
        return portRules(port.number());
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        var inPort = ctx.factory().buildMatch().setExact(MatchField.IN_PORT, port.number()).build();
        return List.of(flows.delete(Tables.PORT_SECURITY, inPort), drops.delete(Tables.PORT_SECURITY, inPort));
    }

    /** A frame from a source this port has not bound: the host manager decides. */
    @Override
    public List<OFMessage> packetIn(OFPort inPort, byte[] frame) {
        return hosts.sourceSeen(inPort, frame);
    }

    @Override
    public List<OFMessage> macBound(OFPort port, MacAddress mac) {
        if (ctx.trusted(port)) {
            return List.of();
        }
        List<OFMessage> out = new ArrayList<>();
        rules.mac(port, mac).forEach(r -> out.add(add(r)));
        if (!hosts.hasRoom(port)) {
            out.add(add(rules.unknownSource(port, true)));
        }
        return out;
    }

    @Override
    public List<OFMessage> macUnbound(OFPort port, MacAddress mac) {
        if (ctx.trusted(port)) {
            return List.of();
        }
        List<OFMessage> out = new ArrayList<>();
        rules.mac(port, mac).forEach(r -> out.add(delete(r)));
        if (hosts.hasRoom(port)) {
            out.add(delete(rules.unknownSource(port, true)));
        }
        return out;
    }

    @Override
    public List<OFMessage> addressBound(OFPort port, MacAddress mac, InetAddress ip) {
        if (ctx.trusted(port)) {
            return List.of();
        }
        List<OFMessage> out = new ArrayList<>();
        rules.refused(port, mac, ip).forEach(r -> out.add(delete(r)));
        rules.address(port, mac, ip).forEach(r -> out.add(add(r)));
        return out;
    }

    @Override
    public List<OFMessage> addressUnbound(OFPort port, MacAddress mac, InetAddress ip) {
        if (ctx.trusted(port)) {
            return List.of();
        }
        return rules.address(port, mac, ip).stream().map(this::delete).toList();
    }

    /** A refused claim is dropped in the datapath (and counted) for a while, then asked about again. */
    @Override
    public List<OFMessage> addressRefused(OFPort port, MacAddress mac, InetAddress ip) {
        return rules.refused(port, mac, ip).stream()
                .map(r -> (OFMessage) ((OFFlowAdd) add(r)).createBuilder()
                        .setHardTimeout(PortSecurityRules.REFUSED_SECONDS).build())
                .toList();
    }

    @Override
    public List<OFMessage> macRefused(OFPort port, MacAddress mac) {
        return List.of(((OFFlowAdd) add(rules.refusedMac(port, mac))).createBuilder()
                .setHardTimeout(PortSecurityRules.REFUSED_MAC_SECONDS).build());
    }

    private List<OFMessage> portRules(OFPort port) {
        if (ctx.trusted(port)) {
            return List.of(add(rules.pass(port)));
        }
        List<OFMessage> out = new ArrayList<>();
        out.add(add(rules.unknownSource(port, false)));
        if (!hosts.hasRoom(port)) {
            out.add(add(rules.unknownSource(port, true)));
        }
        return out;
    }

    private OFMessage add(Rule rule) {
        return flowsOf(rule).add(Tables.PORT_SECURITY, rule.priority(), rule.match(), rule.actions(), rule.next(), rule.meter(), 0);
    }

    private OFMessage delete(Rule rule) {
        return flowsOf(rule).deleteStrict(Tables.PORT_SECURITY, rule.priority(), rule.match());
    }

    private Flows flowsOf(Rule rule) {
        return rule.actions().isEmpty() && rule.next() == null ? drops : flows;
    }
}
