package io.ringswitch.overlay.forwarding;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Which of this site's hosts are members of which group, as their reports say: each reporter
 * stays a member for the membership interval after its last report (RFC 3376 §8.4, RFC 3810
 * §9.4). A leave (IGMPv2 leave, MLDv1 done, v3 TO_IN({})) cuts every member of the group down to
 * the last member query time and asks for group-specific queries (RFC 3376 §6.6.3.1): hosts that
 * still want the group answer them and stay; otherwise the group goes. Tells its listener when a
 * group gets its first member and loses its last. Owned by the node's event loop.
 */
final class GroupMembership {
    static final int MAX_GROUPS = 1024;
    static final int MAX_MEMBERS = 256;

    /** Hears a group appear and go at this site. */
    interface Listener {
        void firstMember(InetAddress group);

        void lastMemberGone(InetAddress group);
    }

    private record Leaving(int queriesLeft, long nextQueryAt) {
    }

    private final Listener listener;
    private final Map<InetAddress, Map<InetAddress, Long>> groups = new HashMap<>();
    private final Map<InetAddress, Leaving> leaving = new HashMap<>();

    GroupMembership(Listener listener) {
        this.listener = listener;
    }

    /** {@code reporter} is a member of {@code group} until {@code now + membershipMillis}; false when full. */
    boolean report(InetAddress group, InetAddress reporter, long now, long membershipMillis) {
        Map<InetAddress, Long> members = groups.get(group);
        if (members == null) {
            if (groups.size() >= MAX_GROUPS) {
                return false;
            }
            members = new HashMap<>();
            groups.put(group, members);
            listener.firstMember(group);
        }
        if (members.size() < MAX_MEMBERS || members.containsKey(reporter)) {
            members.put(reporter, now + membershipMillis);
        }
        leaving.remove(group);
        return true;
    }

    /**
     * {@code reporter} left {@code group}: every member of it now expires within
     * {@code count * intervalMillis} unless it reports again; true when the group is known here,
     * and so a group-specific query is due now ({@code count - 1} more follow from {@link #expire}).
     */
    boolean leave(InetAddress group, InetAddress reporter, long now, int count, long intervalMillis) {
        Map<InetAddress, Long> members = groups.get(group);
        if (members == null) {
            return false;
        }
        long until = now + count * intervalMillis;
        members.replaceAll((host, expires) -> Math.min(expires, until));
        if (!leaving.containsKey(group)) {
            leaving.put(group, new Leaving(count - 1, now + intervalMillis));
        }
        return true;
    }

    /**
     * Removes members whose time is up, and groups without members (telling the listener);
     * returns the groups that are due another group-specific query now.
     */
    List<InetAddress> expire(long now, long intervalMillis) {
        List<InetAddress> query = new ArrayList<>();
        for (Iterator<Map.Entry<InetAddress, Map<InetAddress, Long>>> it = groups.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<InetAddress, Map<InetAddress, Long>> group = it.next();
            group.getValue().values().removeIf(expires -> expires <= now);
            if (group.getValue().isEmpty()) {
                it.remove();
                leaving.remove(group.getKey());
                listener.lastMemberGone(group.getKey());
            }
        }
        for (Map.Entry<InetAddress, Leaving> l : leaving.entrySet()) {
            Leaving state = l.getValue();
            if (state.queriesLeft > 0 && now >= state.nextQueryAt) {
                query.add(l.getKey());
                l.setValue(new Leaving(state.queriesLeft - 1, now + intervalMillis));
            }
        }
        return query;
    }

    boolean has(InetAddress group) {
        return groups.containsKey(group);
    }

    int members(InetAddress group) {
        Map<InetAddress, Long> members = groups.get(group);
        return members == null ? 0 : members.size();
    }

    int size() {
        return groups.size();
    }
}
