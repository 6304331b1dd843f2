package io.ringswitch.controller.dhcp;

import io.ringswitch.controller.api.NameDirectory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCP host names (option 12, RFC 2132 §3.14) to the group's name directory: a leased address is
 * published under its client's host name while the lease lasts. A name is published only as one DNS
 * label: lower-cased, 1 to 63 characters of a-z, 0-9 and '-'; anything else is refused and counted,
 * since a host may send whatever bytes it likes.
 */
final class LeaseNames {
    private static final Logger log = LoggerFactory.getLogger(LeaseNames.class);
    static final int MAX_LABEL = 63;

    private final NameDirectory names;
    /** Leased address to the name published for it. */
    private final Map<Integer, String> published = new HashMap<>();
    private long refused;

    LeaseNames(NameDirectory names) {
        this.names = names;
    }

    /** The lease of {@code ip} was acknowledged with {@code hostName} (null: none): publish it, and withdraw a different earlier name. */
    void named(int ip, byte[] hostName) {
        String name = hostName == null ? null : label(hostName);
        if (hostName != null && name == null && Long.bitCount(++refused) == 1) {
            log.warn("not publishing DHCP host name {} for {}: not a DNS label of a-z, 0-9 and '-' ({} refused so far)",
                    printable(hostName), DhcpFrames.format(ip), refused);
        }
        String before = name == null ? published.remove(ip) : published.put(ip, name);
        if (before != null && !before.equals(name)) {
            names.withdraw(before, IPv4Address.of(ip).toInetAddress());
        }
        if (name != null && !name.equals(before)) {
            names.publish(name, IPv4Address.of(ip).toInetAddress());
        }
    }

    /** The lease of {@code ip} ended: its name goes. */
    void ended(int ip) {
        String name = published.remove(ip);
        if (name != null) {
            names.withdraw(name, IPv4Address.of(ip).toInetAddress());
        }
    }

    long refused() {
        return refused;
    }

    int size() {
        return published.size();
    }

    /** The host name as one lower-case DNS label, or null when it is not one. */
    static String label(byte[] raw) {
        if (raw.length < 1 || raw.length > MAX_LABEL) {
            return null;
        }
        String s = new String(raw, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return null;
            }
        }
        return s;
    }

    private static String printable(byte[] raw) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(raw.length, 64); i++) {
            int c = raw[i] & 0xff;
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return b.toString();
    }
}
