package io.ringswitch.overlay.api;

import java.util.Locale;

/**
 * The group's names ({@code HOST.DOMAIN}), answered by the site's DNS address from the DHT.
 *
 * <pre>
 * dns: {domain: lab}     # default: the group's name from the node's certificate, lower case
 * </pre>
 *
 * @param domain the domain the group's host names live under, or null for the default
 */
public record DnsConfig(
        @Doc(value = "The domain the group's host names live under (DNS labels of a-z 0-9 - joined by dots).",
                byDefault = "the group's name from the node's certificate, lower case", example = "lab") String domain) {
    private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    DnsConfig checked(ConfigProblems problems) {
        if (domain == null) {
            return this;
        }
        String d = domain.toLowerCase(Locale.ROOT);
        if (!validDomain(d)) {
            problems.add("dns.domain", domain, "DNS labels of a-z 0-9 - joined by dots, at most 253 characters, e.g. lab");
        }
        return new DnsConfig(d);
    }

    /** Whether {@code name} is one or more DNS labels (RFC 1035 §2.3.1, letters lower case). */
    public static boolean validDomain(String name) {
        return name != null && name.length() <= 253 && name.matches(LABEL + "(\\." + LABEL + ")*");
    }

    /**
     * The domain: the configured one, else {@code group} lower-cased with every character that may
     * not stand in a label made a '-', else {@code ringswitch}.
     */
    public String domainOr(String group) {
        if (domain != null) {
            return domain;
        }
        if (group != null) {
            String g = group.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
            if (validDomain(g)) {
                return g;
            }
        }
        return "ringswitch";
    }
}
