package io.ringswitch.controller.multicast;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.projectfloodlight.openflow.types.OFPort;

/**
 * Which local ports of the bridge lead to members of which group, as the reports heard on them say
 * (RFC 4541 §2.1.1: snooping forwards a group only to the ports its members are behind). A port
 * stays a member for the membership interval after its last report (RFC 3376 §8.4, RFC 3810
 * §9.4). A leave (IGMPv2 leave, MLDv1 done, v3 TO_IN({})) heard on a port cuts that port alone
 * down to the last member query time and asks for group-specific queries out of it (RFC 3376
 * §6.6.3.1): a host behind it that still wants the group answers and the port stays; otherwise
 * the port goes. A leave on one port never shortens another's membership. Owned by the switch
 * channel's thread.
 */
final class GroupMembership {
    static final int MAX_GROUPS = 1024;

    /** A group-specific query due out of one port. */
    record Due(InetAddress group, OFPort port) {
    }

    private record Leaving(int queriesLeft, long nextQueryAt) {
    }

    private record Key(InetAddress group, OFPort port) {
    }

    private final Map<InetAddress, Map<OFPort, Long>> groups = new HashMap<>();
    private final Map<Key, Leaving> leaving = new HashMap<>();

    /** A member of {@code group} is behind {@code port} until {@code now + membershipMillis}; false when full. */
    boolean report(InetAddress group, OFPort port, long now, long membershipMillis) {
        Map<OFPort, Long> ports = groups.get(group);
        if (ports == null) {
            if (groups.size() >= MAX_GROUPS) {
                return false;
            }
            ports = new HashMap<>();
            groups.put(group, ports);
        }
        ports.put(port, now + membershipMillis);
        leaving.remove(new Key(group, port));
        return true;
    }

    /**
     * A host behind {@code port} left {@code group}: the port now expires within
     * {@code count * intervalMillis} unless a report comes again; true when the port is a member,
     * and so a group-specific query out of it is due now ({@code count - 1} more follow from
     * {@link #expire}).
     */
    boolean leave(InetAddress group, OFPort port, long now, int count, long intervalMillis) {
        Map<OFPort, Long> ports = groups.get(group);
        if (ports == null || !ports.containsKey(port)) {
            return false;
        }
        ports.computeIfPresent(port, (p, expires) -> Math.min(expires, now + count * intervalMillis));
        leaving.putIfAbsent(new Key(group, port), new Leaving(count - 1, now + intervalMillis));
        return true;
    }

    /**
     * Removes ports whose time is up, and groups without ports; returns the group-specific queries
     * due now.
     */
    List<Due> expire(long now, long intervalMillis) {
        for (Iterator<Map.Entry<InetAddress, Map<OFPort, Long>>> it = groups.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetAddress, Map<OFPort, Long>> group = it.next();
            group.getValue().values().removeIf(expires -> expires <= now);
            if (group.getValue().isEmpty()) {
                it.remove();
            }
        }
        leaving.keySet().removeIf(k -> !ports(k.group()).contains(k.port()));
        List<Due> due = new ArrayList<>();
        for (Map.Entry<Key, Leaving> l : leaving.entrySet()) {
            Leaving state = l.getValue();
            if (state.queriesLeft > 0 && now >= state.nextQueryAt) {
                due.add(new Due(l.getKey().group(), l.getKey().port()));
                l.setValue(new Leaving(state.queriesLeft - 1, now + intervalMillis));
            }
        }
        return due;
    }

    /** The port left the bridge: it is a member of nothing any more. */
    void removePort(OFPort port) {
        groups.values().forEach(ports -> ports.remove(port));
        groups.values().removeIf(Map::isEmpty);
        leaving.keySet().removeIf(k -> k.port().equals(port));
    }

    /** The member ports of a group, in port order; empty when it has none. */
    Set<OFPort> ports(InetAddress group) {
        Map<OFPort, Long> ports = groups.get(group);
        return ports == null ? Set.of() : new TreeSet<>(ports.keySet());
    }

    /** The groups with at least one member port. */
    Set<InetAddress> groups() {
        return Set.copyOf(groups.keySet());
    }

    int size() {
        return groups.size();
    }

    /** Member ports summed over groups. */
    int memberPorts() {
        return groups.values().stream().mapToInt(Map::size).sum();
    }
}
