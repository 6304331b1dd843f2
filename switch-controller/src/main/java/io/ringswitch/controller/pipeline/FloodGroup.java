package io.ringswitch.controller.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.projectfloodlight.openflow.protocol.OFBucket;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFGroupType;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * The one group every flood goes through (OpenFlow 1.3.5 §5.6.1, type ALL): a bucket per local port
 * and one for the overlay port. Output ALL or FLOOD would also reach a full tunnel's uplink and
 * underlay port and a gateway port, which sit on the same bridge; the group names only the ports a
 * flood may reach. A bucket that names the ingress port sends nothing (OVS never outputs a frame
 * back to its ingress port but by IN_PORT), so one group serves every ingress port. The forwarding
 * manager keeps it in step with the ports; others flood with {@link #action}.
 */
public final class FloodGroup {
    /** Outside the multicast manager's range (0x4d43_0000 up). */
    public static final OFGroup ID = OFGroup.of(0x464c_0001);

    private FloodGroup() {
    }

    /** The action that floods a frame. */
    public static OFAction action(OFFactory of) {
        return of.actions().group(ID);
    }

    /** Creates the group: on a new connection, before any flow uses it. */
    public static OFMessage add(OFFactory of, Set<OFPort> localPorts, OFPort overlay) {
        return of.buildGroupAdd().setGroup(ID).setGroupType(OFGroupType.ALL).setBuckets(buckets(of, localPorts, overlay)).build();
    }

    /** The group's buckets after a port came or went. */
    public static OFMessage modify(OFFactory of, Set<OFPort> localPorts, OFPort overlay) {
        return of.buildGroupModify().setGroup(ID).setGroupType(OFGroupType.ALL).setBuckets(buckets(of, localPorts, overlay)).build();
    }

    private static List<OFBucket> buckets(OFFactory of, Set<OFPort> localPorts, OFPort overlay) {
        List<OFPort> ports = new ArrayList<>(new TreeSet<>(localPorts));
        if (overlay != null) {
            ports.add(overlay);
        }
        return ports.stream().map(p -> of.buildBucket().setActions(List.of(of.actions().output(p, 0)))
                .setWatchGroup(OFGroup.ANY).setWatchPort(OFPort.ANY).build()).toList();
    }
}
