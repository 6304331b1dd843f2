package io.ringswitch.controller.multicast;

import io.ringswitch.controller.api.GroupDirectory;
import io.ringswitch.controller.pipeline.SwitchContext;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Turns each IP group's member ports, and the directory's word on whether other sites have
 * members, into one OpenFlow group of type ALL and the MULTICAST-table flow that leads to it:
 * added with the group's first member port (and published, and the directory asked), modified
 * as ports come and go or as other sites' members come and go, deleted (and withdrawn) with its
 * last port. Split out of {@link MulticastManager}, which snoops and queries and hands the
 * member ports here. All calls come on the switch channel's thread.
 */
final class GroupInstaller {
    /** How often the directory is asked again whether other sites have members of a group that goes to the overlay. */
    static final long ASK_MILLIS = 5_000;
    /**
     * How often it is asked while the group stays off the overlay port: a member that joins at
     * another site gets the group within about this long (a switch learns a join at once; the DHT
     * has no notifications, so this is the price of asking).
     */
    static final long ASK_PRUNED_MILLIS = 1_000;
    /** Answers of "no members elsewhere" in a row before a group leaves the overlay port. */
    static final int NO_ANSWERS_TO_PRUNE = 2;

    /** An IP group as installed on the switch. */
    private static final class Installed {
        final int id;
        Set<OFPort> ports = Set.of();
        /** A new group goes to the overlay port until the directory has said twice that nobody elsewhere wants it. */
        boolean others = true;
        int noAnswers;
        boolean asking;
        long askedAt;

        Installed(int id) {
            this.id = id;
        }
    }

    private final SwitchContext context;
    private final GroupDirectory directory;
    private final MulticastFlows flows;
    private final Map<InetAddress, Installed> installed = new LinkedHashMap<>();
    private final TreeSet<Integer> freeIds = new TreeSet<>();
    private int nextId = MulticastManager.FIRST_GROUP_ID;
    private OFPort overlay;
    /** Set while a call is under way: answers that come back inside it join its messages. */
    private List<OFMessage> current;

    GroupInstaller(SwitchContext context, GroupDirectory directory, MulticastFlows flows) {
        this.context = context;
        this.directory = directory;
        this.flows = flows;
    }

    /** The overlay port now, or null: the port that other sites' members are reached by. */
    OFPort overlay() {
        return overlay;
    }

    /** A new overlay port, or none; {@link #rebucketOthers} then brings the groups in line. */
    void overlay(OFPort port) {
        overlay = port;
    }

    /** Every installed group again, for a switch that has just (re)connected. */
    void reinstall(List<OFMessage> out) {
        for (Map.Entry<InetAddress, Installed> e : installed.entrySet()) {
            Installed g = e.getValue();
            out.add(flows.groupDelete(g.id));
            out.add(flows.groupAdd(g.id, buckets(g)));
            out.add(flows.groupFlow(e.getKey(), g.id));
        }
    }

    /** The IP groups installed now. */
    Set<InetAddress> groups() {
        return installed.keySet();
    }

    /**
     * Brings one IP group on the switch in line with its member ports: added (and published, and
     * the directory asked) with its first port, modified when ports come and go, deleted (and
     * withdrawn) with its last.
     */
    void sync(InetAddress group, Set<OFPort> ports, List<OFMessage> out) {
        Installed g = installed.get(group);
        if (ports.isEmpty()) {
            if (g != null) {
                installed.remove(group);
                freeIds.add(g.id);
                out.add(flows.groupFlowDelete(group));
                out.add(flows.groupDelete(g.id));
                directory.leave(group);
            }
            return;
        }
        if (g == null) {
            g = new Installed(freeIds.isEmpty() ? nextId++ : freeIds.pollFirst());
            g.ports = ports;
            installed.put(group, g);
            out.add(flows.groupAdd(g.id, buckets(g)));
            out.add(flows.groupFlow(group, g.id));
            directory.join(group);
            ask(group, g);
        } else if (!ports.equals(g.ports)) {
            g.ports = ports;
            out.add(flows.groupModify(g.id, buckets(g)));
        }
    }

    /** Asks the directory again about each group whose last answer is old enough. */
    void askDue(long now) {
        for (Map.Entry<InetAddress, Installed> e : installed.entrySet()) {
            Installed g = e.getValue();
            if (!g.asking && now - g.askedAt >= (g.others ? ASK_MILLIS : ASK_PRUNED_MILLIS)) {
                ask(e.getKey(), e.getValue());
            }
        }
    }

    /** Groups whose buckets name the overlay port change when it comes or goes. */
    void rebucketOthers(List<OFMessage> out) {
        for (Installed g : installed.values()) {
            if (g.others) {
                out.add(flows.groupModify(g.id, buckets(g)));
            }
        }
    }

    private List<OFPort> buckets(Installed g) {
        List<OFPort> ports = new ArrayList<>(g.ports);
        if (g.others && overlay != null) {
            ports.add(overlay);
        }
        return ports;
    }

    /** Asks the directory whether other sites have members; the answer comes back on this thread. */
    private void ask(InetAddress group, Installed g) {
        g.asking = true;
        g.askedAt = context.nowMillis();
        directory.othersHaveMembers(group).whenComplete((others, error) -> context.execute(
                () -> answered(group, g, error != null || others == null || others)));
    }

    private void answered(InetAddress group, Installed g, boolean othersNow) {
        g.asking = false;
        g.noAnswers = othersNow ? 0 : g.noAnswers + 1;
        // Pruning waits for a second "no": a site whose member joined a moment ago may not have published yet.
        boolean others = othersNow || g.noAnswers < NO_ANSWERS_TO_PRUNE;
        if (installed.get(group) != g || g.others == others) {
            return;
        }
        g.others = others;
        OFMessage modify = flows.groupModify(g.id, buckets(g));
        if (current != null) {
            current.add(modify);
        } else {
            context.send(List.of(modify));
        }
    }

    /** Opens a call: a directory answer that comes back before it returns lands in its list, after what came before. */
    List<OFMessage> begin() {
        current = new ArrayList<>();
        return current;
    }

    /** Closes the call that {@link #begin()} opened; later answers are sent on their own. */
    List<OFMessage> end(List<OFMessage> out) {
        current = null;
        return out;
    }

    /** The OpenFlow group id of each IP group installed now. */
    Map<InetAddress, Integer> groupIds() {
        Map<InetAddress, Integer> ids = new LinkedHashMap<>();
        installed.forEach((group, g) -> ids.put(group, g.id));
        return ids;
    }
}
