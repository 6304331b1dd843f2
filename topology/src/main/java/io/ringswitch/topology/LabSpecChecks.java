package io.ringswitch.topology;

import io.ringswitch.overlay.api.NodeConfig;
import io.ringswitch.overlay.group.GroupServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A lab description's rules: defaults filled in, and every bound checked at once (sites, hosts,
 * MTUs, credentials and edges only on sites that are not the bootstrap ones, gateways and
 * full-tunnel sites open and distinct, certificate lifetimes the group server issues, private
 * groups and ring order), so that a bad file is refused with all of its problems named.
 */
final class LabSpecChecks {
    private LabSpecChecks() {
    }

    /** {@code spec} with defaults filled in; throws {@link IllegalArgumentException} listing every problem. */
    static LabSpec checked(LabSpec spec) {
        List<String> problems = new ArrayList<>();
        String n = spec.name() == null ? "lab" : spec.name();
        int s = spec.sites() == null ? 2 : spec.sites();
        int h = spec.hostsPerSite() == null ? 1 : spec.hostsPerSite();
        int under = spec.underlayMtu() == null ? 1500 : spec.underlayMtu();
        int over = spec.overlayMtu() == null ? NodeConfig.DEFAULT_MTU : spec.overlayMtu();
        if (!n.matches("[a-z0-9]{1,6}")) {
            problems.add("name: 1 to 6 of a-z 0-9 (got '" + n + "')");
        }
        if (s < 2 || s > 50) {
            problems.add("sites: 2 to 50 (got " + s + ")");
        }
        if (h < 1 || h > 20) {
            problems.add("hostsPerSite: 1 to 20 (got " + h + ")");
        }
        if (over < 576 || over + NodeConfig.OVERHEAD > under) {
            problems.add("overlayMtu: " + over + " must be at least 576 and leave " + NodeConfig.OVERHEAD
                    + " bytes under underlayMtu " + under);
        }
        if (spec.shortcuts() != null && (spec.shortcuts() < 0 || spec.shortcuts() > 16)) {
            problems.add("shortcuts: 0 to 16 (got " + spec.shortcuts() + ")");
        }
        boolean secure = spec.encrypted() == null || spec.encrypted();
        Map<Integer, SiteCredential> creds = new TreeMap<>();
        if (spec.credentials() != null) {
            for (Map.Entry<Integer, SiteCredential> c : spec.credentials().entrySet()) {
                if (c.getKey() == null || c.getValue() == null) {
                    problems.add("credentials: a site number and a credential each");
                } else if (c.getKey() < 1 || c.getKey() > s) {
                    problems.add("credentials: site " + c.getKey() + " is not a site of 1 to " + s);
                } else if (c.getValue() != SiteCredential.VALID && c.getKey() <= 2) {
                    problems.add("credentials: site " + c.getKey() + " must be valid (sites 1 and 2 are the bootstrap addresses)");
                } else if (c.getValue() != SiteCredential.VALID && !secure) {
                    problems.add("credentials: site " + c.getKey() + " is " + c.getValue() + ", but the lab is not encrypted");
                } else if (c.getValue() != SiteCredential.VALID) {
                    creds.put(c.getKey(), c.getValue());
                }
            }
        }
        Map<Integer, SiteEdge> routed = new TreeMap<>();
        if (spec.edges() != null) {
            for (Map.Entry<Integer, SiteEdge> e : spec.edges().entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    problems.add("edges: a site number and an edge each");
                } else if (e.getKey() < 1 || e.getKey() > s) {
                    problems.add("edges: site " + e.getKey() + " is not a site of 1 to " + s);
                } else if (e.getValue() != SiteEdge.OPEN && e.getKey() <= 2) {
                    problems.add("edges: site " + e.getKey() + " must be open (sites 1 and 2 are the bootstrap addresses)");
                } else if (e.getValue() != SiteEdge.OPEN) {
                    routed.put(e.getKey(), e.getValue());
                }
            }
        }
        if (spec.relayChoice() != null && !LabSpec.RELAY_CHOICES.contains(spec.relayChoice())) {
            problems.add("relayChoice: one of " + String.join(", ", LabSpec.RELAY_CHOICES) + " (got '" + spec.relayChoice() + "')");
        }
        List<Integer> gws = tunnelSites("gateways", spec.gateways(), s, routed, problems);
        List<Integer> full = tunnelSites("fullTunnel", spec.fullTunnel(), s, routed, problems);
        for (int site : full) {
            if (gws.contains(site)) {
                problems.add("site " + site + " cannot be both a gateway and a full-tunnel client");
            }
        }
        boolean net = (spec.internet() != null && spec.internet()) || !gws.isEmpty() || !full.isEmpty();
        if (Boolean.FALSE.equals(spec.internet()) && (!gws.isEmpty() || !full.isEmpty())) {
            problems.add("internet: false, but gateways and full-tunnel sites need the internet namespace");
        }
        if (spec.certLifetimeSeconds() != null) {
            if (spec.certLifetimeSeconds() < GroupServer.MIN_LIFETIME_SECONDS || spec.certLifetimeSeconds() > LabSpec.MAX_CERT_LIFETIME.toSeconds()) {
                problems.add("certLifetimeSeconds: " + GroupServer.MIN_LIFETIME_SECONDS + " to " + LabSpec.MAX_CERT_LIFETIME.toSeconds()
                        + " (got " + spec.certLifetimeSeconds() + ")");
            }
            if (!secure) {
                problems.add("certLifetimeSeconds: the lab is not encrypted, its nodes have no certificate to renew");
            }
            if (!creds.isEmpty()) {
                problems.add("certLifetimeSeconds: every site's credential must be valid to be admitted to the group server");
            }
        }
        Map<String, List<Integer>> groups = PrivateGroupSites.checked(spec.privateGroups(), s, secure, creds, gws, full, problems);
        if (spec.ringOrder() != null && (!secure || spec.ringOrder().size() != s || !new TreeSet<>(spec.ringOrder()).equals(allSites(s)))) {
            problems.add("ringOrder: every site of 1 to " + s + " once, in an encrypted lab (got " + spec.ringOrder() + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new LabSpec(n, s, h, under, over, spec.shortcuts(), spec.offloads() == null || spec.offloads(), secure,
                Collections.unmodifiableMap(creds), Collections.unmodifiableMap(routed), spec.relayChoice(), gws, full, net,
                spec.certLifetimeSeconds(), groups, spec.ringOrder() == null ? null : List.copyOf(spec.ringOrder()));
    }

    private static TreeSet<Integer> allSites(int sites) {
        TreeSet<Integer> all = new TreeSet<>();
        for (int i = 1; i <= sites; i++) {
            all.add(i);
        }
        return all;
    }

    /**
     * A list of sites of {@code field}: each a site of the lab, open (a NAT or firewall in front of a
     * gateway or full-tunnel site is not modelled), listed once; returned sorted.
     */
    private static List<Integer> tunnelSites(String field, List<Integer> listed, int sites, Map<Integer, SiteEdge> routed,
                                             List<String> problems) {
        if (listed == null) {
            return List.of();
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (Integer site : listed) {
            if (site == null || site < 1 || site > sites) {
                problems.add(field + ": " + site + " is not a site of 1 to " + sites);
            } else if (routed.containsKey(site)) {
                problems.add(field + ": site " + site + " is behind " + routed.get(site) + "; only open sites can be listed");
            } else if (!out.add(site)) {
                problems.add(field + ": site " + site + " is listed twice");
            }
        }
        return List.copyOf(out);
    }
}
