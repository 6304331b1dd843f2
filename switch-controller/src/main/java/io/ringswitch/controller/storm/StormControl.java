package io.ringswitch.controller.storm;

import io.ringswitch.controller.api.SwitchSettings;
import io.ringswitch.controller.pipeline.Cookies;
import io.ringswitch.controller.pipeline.Meters;
import io.ringswitch.controller.pipeline.SwitchContext;
import io.ringswitch.controller.pipeline.SwitchManager;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMeterFlags;
import org.projectfloodlight.openflow.protocol.OFMeterModCommand;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U64;

/**
 * Storm control: two meters per local port (OpenFlow 1.3.5 §5.7, one drop band in packets a second,
 * burst as large as the rate), one for what the port may flood and one for what it may send to the
 * controller. The flows that flood or punt name them ({@link Meters}); this manager only makes them
 * exist while the port does, and names their drops for status.
 */
public final class StormControl implements SwitchManager {
    /** The status counter of frames the flood meters dropped. */
    public static final String STORM_DROPPED = "storm_dropped";
    /** The status counter of frames the packet-in meters dropped. */
    public static final String PACKET_IN_DROPPED = "packet_in_dropped";

    private final SwitchContext context;
    private final SwitchSettings.Storm limits;
    private final Set<OFPort> metered = new HashSet<>();

    public StormControl(SwitchContext context, SwitchSettings.Storm limits) {
        this.context = context;
        this.limits = limits;
    }

    @Override
    public U64 cookie() {
        return Cookies.STORM;
    }

    /** The switch's meters were just deleted; the ports that follow get theirs again. */
    @Override
    public List<OFMessage> switchReady() {
        metered.clear();
        return List.of();
    }

    /** Infrastructure ports get meters too: a gateway port's ARP misses reach the controller under its packet-in meter. */
    @Override
    public boolean seesInfrastructurePorts() {
        return true;
    }

    @Override
    public List<OFMessage> portAdded(SwitchPort port) {
        if (port.overlay() || !metered.add(port.number())) {
            return List.of();
        }
        return List.of(meter(OFMeterModCommand.ADD, Meters.flood(port.number()), limits.floodPps()),
                meter(OFMeterModCommand.ADD, Meters.packetIn(port.number()), limits.packetInPps()));
    }

    @Override
    public List<OFMessage> portRemoved(SwitchPort port) {
        if (!metered.remove(port.number())) {
            return List.of();
        }
        return List.of(delete(Meters.flood(port.number())), delete(Meters.packetIn(port.number())));
    }

    @Override
    public Map<String, Set<Long>> meterDropCounters() {
        Set<Long> flood = new HashSet<>();
        Set<Long> packetIn = new HashSet<>();
        for (OFPort port : metered) {
            flood.add(Meters.flood(port));
            packetIn.add(Meters.packetIn(port));
        }
        return Map.of(STORM_DROPPED, flood, PACKET_IN_DROPPED, packetIn);
    }

    private OFMessage meter(OFMeterModCommand command, long id, int packetsPerSecond) {
        return context.factory().buildMeterMod().setCommand(command).setMeterId(id)
                .setFlags(Set.of(OFMeterFlags.PKTPS, OFMeterFlags.BURST))
                .setMeters(List.of(context.factory().meterBands().buildDrop().setRate(packetsPerSecond)
                        .setBurstSize(packetsPerSecond).build()))
                .build();
    }

    private OFMessage delete(long id) {
        return context.factory().buildMeterMod().setCommand(OFMeterModCommand.DELETE).setMeterId(id)
                .setMeters(List.of()).build();
    }
}
