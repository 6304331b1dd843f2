package io.ringswitch.controller.forwarding;

import io.ringswitch.controller.api.ControllerStatus;
import io.ringswitch.controller.api.SiteDirectory;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.FloodGroup;
import io.ringswitch.controller.pipeline.Flows;
import io.ringswitch.controller.pipeline.L2Table;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import io.ringswitch.controller.pipeline.Tables;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The L2_LOOKUP table (OVN's ls_in_l2_lkup): where a frame goes by its destination MAC.
 *
 * <pre>
 * prio 300  eth_dst=M (local)                    -> output its port
 * prio 200  eth_dst=M (remote)                   -> output overlay port    (known unicast never floods)
 * prio 100  eth_dst=01:00:5e/25 or 33:33/16      -> goto MULTICAST         (IP multicast)
 * prio 10   in_port=P (local)                    -> meter flood(P), group FLOOD
 * prio 10   in_port=overlay                      -> group FLOOD            (to local ports only: OVS never
 *                                                                           sends a frame back out of its ingress port)
 * miss                                           -> drop (a port the controller has not seen yet)
 * </pre>
 * Broadcast, other group MACs and unknown unicast all fall to the flood flows, which flood through
 * {@link FloodGroup} (local ports and the overlay port; never an infrastructure port such as a full
 * tunnel's uplink), kept here in step with the ports. Local MACs come from
 * the hosts manager through {@link L2Table}; remote ones from the site directory's listener.
 */
public final class ForwardingManager implements SwitchManager, L2Table {
    private static final Logger log = LoggerFactory.getLogger(ForwardingManager.class);
    static final int PRIO_LOCAL = 300;
    static final int PRIO_REMOTE = 200;
    static final int PRIO_IP_MULTICAST = 100;
    static final int PRIO_FLOOD = 10;
    /** Bounds the remote MACs kept, whatever the overlay reports. */
    static final int MAX_REMOTE_MACS = 16_384;
    private static final MacAddress IPV4_MULTICAST = MacAddress.of("01:00:5e:00:00:00");
    private static final MacAddress IPV4_MULTICAST_MASK = MacAddress.of("ff:ff:ff:80:00:00");
    private static final MacAddress IPV6_MULTICAST = MacAddress.of("33:33:00:00:00:00");
    private static final MacAddress IPV6_MULTICAST_MASK = MacAddress.of("ff:ff:00:00:00:00");

    private final SwitchContext context;
    private final Flows flows;
    private final Map<MacAddress, OFPort> local = new HashMap<>();
    private final Set<MacAddress> remote = new LinkedHashSet<>();
    private long remoteRefused;

    /** Listens to {@code directory} for remote MACs (its calls hop onto the switch channel's thread). */
    public ForwardingManager(SwitchContext context, SiteDirectory directory) {
        this.context = context;
        this.flows = new Flows(context.factory(), Cookies.FORWARDING);
        directory.listen(new SiteDirectory.Listener() {
            @Override
            public void remoteMacLearned(MacAddress mac) {
                context.execute(() -> context.send(remoteLearned(mac)));
            }

            @Override
            public void remoteMacForgotten(MacAddress mac) {
                context.execute(() -> context.send(remoteForgotten(mac)));
            }
        });
    }

    @Override
    public U64 cookie() {
        return Cookies.FORWARDING;
    }

    @Override
    public List<OFMessage> switchReady() {
        List<OFMessage> out = new ArrayList<>();
        out.add(FloodGroup.add(context.factory(), context.localPorts(), context.overlayPort()));
        out.add(toMulticast(IPV4_MULTICAST, IPV4_MULTICAST_MASK));
        out.add(toMulticast(IPV6_MULTICAST, IPV6_MULTICAST_MASK));
        local.forEach((mac, port) -> out.add(localFlow(mac, port)));
        if (context.overlayPort() != null) {
            remote.forEach(mac -> out.add(remoteFlow(mac)));
        }
        return out;
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        List<OFMessage> out = new ArrayList<>();
        out.add(FloodGroup.modify(context.factory(), context.localPorts(), context.overlayPort()));
        Match fromPort = context.factory().buildMatch().setExact(MatchField.IN_PORT, port.number()).build();
        if (port.overlay()) {
            out.add(flows.add(Tables.L2_LOOKUP, PRIO_FLOOD, fromPort, List.of(FloodGroup.action(context.factory())), null));
            remote.forEach(mac -> out.add(remoteFlow(mac)));
        } else {
            out.add(flows.add(Tables.L2_LOOKUP, PRIO_FLOOD, fromPort, List.of(FloodGroup.action(context.factory())), null,
                    Meters.flood(port.number()), 0));
        }
        return out;
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        List<OFMessage> out = new ArrayList<>();
        out.add(FloodGroup.modify(context.factory(), context.localPorts(), context.overlayPort()));
        out.add(flows.deleteStrict(Tables.L2_LOOKUP, PRIO_FLOOD,
                context.factory().buildMatch().setExact(MatchField.IN_PORT, port.number()).build()));
        if (port.overlay()) {
            remote.forEach(mac -> out.add(flows.deleteStrict(Tables.L2_LOOKUP, PRIO_REMOTE, toMac(mac))));
        }
        local.entrySet().removeIf(entry -> {
            if (entry.getValue().equals(port.number())) {
                out.add(flows.deleteStrict(Tables.L2_LOOKUP, PRIO_LOCAL, toMac(entry.getKey())));
                return true;
            }
            return false;
        });
        return out;
    }

    @Override
    public List<OFMessage> localHost(MacAddress mac, OFPort port) {
        if (mac.isMulticast()) {
            throw new IllegalArgumentException("a host cannot own group MAC " + mac);
        }
        OFPort previous = local.put(mac, port);
        if (port.equals(previous)) {
            return List.of();
        }
        if (previous != null) {
            log.info("{} moved from port {} to port {}", mac, previous, port);
        }
        return List.of(localFlow(mac, port));
    }

    @Override
    public List<OFMessage> localHostGone(MacAddress mac) {
        if (local.remove(mac) == null) {
            return List.of();
        }
        return List.of(flows.deleteStrict(Tables.L2_LOOKUP, PRIO_LOCAL, toMac(mac)));
    }

    /** The overlay learned where a remote MAC lives: send frames to it into the overlay port. */
    List<OFMessage> remoteLearned(MacAddress mac) {
        if (mac.isMulticast() || remote.contains(mac)) {
            return List.of();
        }
        if (remote.size() >= MAX_REMOTE_MACS) {
            if (Long.bitCount(++remoteRefused) == 1) {
                log.warn("not installing remote MAC {}: {} remote MACs already ({} refused so far)", mac, remote.size(), remoteRefused);
            }
            return List.of();
        }
        remote.add(mac);
        return context.overlayPort() == null ? List.of() : List.of(remoteFlow(mac));
    }

    /** The overlay forgot a remote MAC: frames to it flood again. */
    List<OFMessage> remoteForgotten(MacAddress mac) {
        if (!remote.remove(mac)) {
            return List.of();
        }
        return List.of(flows.deleteStrict(Tables.L2_LOOKUP, PRIO_REMOTE, toMac(mac)));
    }

    @Override
    public Map<String, Long> counters() {
        return Map.of(ControllerStatus.LEARNED_MACS, (long) (local.size() + remote.size()),
                "l2_remote_refused", remoteRefused);
    }

    private OFMessage localFlow(MacAddress mac, OFPort port) {
        return flows.add(Tables.L2_LOOKUP, PRIO_LOCAL, toMac(mac), List.of(flows.output(port)), null);
    }

    private OFMessage remoteFlow(MacAddress mac) {
        return flows.add(Tables.L2_LOOKUP, PRIO_REMOTE, toMac(mac), List.of(flows.output(context.overlayPort())), null);
    }

    private OFMessage toMulticast(MacAddress value, MacAddress mask) {
        return flows.add(Tables.L2_LOOKUP, PRIO_IP_MULTICAST,
                context.factory().buildMatch().setMasked(MatchField.ETH_DST, value, mask).build(), List.of(),
                Tables.MULTICAST);
    }

    private Match toMac(MacAddress mac) {
        return context.factory().buildMatch().setExact(MatchField.ETH_DST, mac).build();
    }
}
