package io.ringswitch.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A lab's private groups (issue 19): which sites form each group's own ring (with its own CA),
 * found through the public ring of the other sites. Sites 1 and 2 are the public ring's bootstrap
 * endpoints and stay public.
 */
final class PrivateGroupSites {
    private PrivateGroupSites() {
    }

    /**
     * The groups, checked (names of 1 to 8 of a-z 0-9; sites of the lab other than 1 and 2, valid
     * credentials, no gateways or full-tunnel sites, each in one group, at least two per group),
     * sorted; problems go to {@code problems}.
     */
    static Map<String, List<Integer>> checked(Map<String, List<Integer>> groups, int sites, boolean encrypted,
                                              Map<Integer, SiteCredential> bad, List<Integer> gateways,
                                              List<Integer> fullTunnel, List<String> problems) {
        if (groups == null || groups.isEmpty()) {
            return Map.of();
        }
        if (!encrypted) {
            problems.add("privateGroups: a private group is its CA's; the lab must be encrypted");
        }
        Map<String, List<Integer>> out = new TreeMap<>();
        TreeSet<Integer> seen = new TreeSet<>();
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            String name = g.getKey();
            if (name == null || !name.matches("[a-z0-9]{1,8}")) {
                problems.add("privateGroups: a group name is 1 to 8 of a-z 0-9 (got '" + name + "')");
                continue;
            }
            List<Integer> members = g.getValue() == null ? List.of() : g.getValue();
            TreeSet<Integer> own = new TreeSet<>();
            for (Integer site : members) {
                if (site == null || site < 3 || site > sites) {
                    problems.add("privateGroups." + name + ": " + site + " is not a site of 3 to " + sites
                            + " (sites 1 and 2 are the public ring's bootstrap endpoints)");
                } else if (!seen.add(site)) {
                    problems.add("privateGroups." + name + ": site " + site + " is in two groups or listed twice");
                } else if (bad.containsKey(site) || gateways.contains(site) || fullTunnel.contains(site)) {
                    problems.add("privateGroups." + name + ": site " + site + " has a bad credential or a tunnel role");
                } else {
                    own.add(site);
                }
            }
            if (members.size() < 2) {
                problems.add("privateGroups." + name + ": at least two sites");
            }
            out.put(name, List.copyOf(own));
        }
        return Collections.unmodifiableMap(out);
    }

    static String groupOf(Map<String, List<Integer>> groups, int site) {
        if (groups == null) {
            return null;
        }
        return groups.entrySet().stream().filter(g -> g.getValue().contains(site)).map(Map.Entry::getKey).findFirst()
                .orElse(null);
    }

    static List<List<Integer>> rings(Map<String, List<Integer>> groups, int sites) {
        List<Integer> publicSites = new ArrayList<>();
        for (int s = 1; s <= sites; s++) {
            if (groupOf(groups, s) == null) {
                publicSites.add(s);
            }
        }
        List<List<Integer>> out = new ArrayList<>();
        out.add(List.copyOf(publicSites));
        if (groups != null) {
            out.addAll(groups.values());
        }
        return List.copyOf(out);
    }
}
