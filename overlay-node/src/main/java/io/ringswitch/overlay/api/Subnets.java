package io.ringswitch.overlay.api;

/** IPv4 subnets in config text ({@code 10.77.0.0/16}), read with the problem named after the field. */
final class Subnets {
    private Subnets() {
    }

    /**
     * The subnet as {network, prefix length}, host bits cleared; null (and a problem naming
     * {@code field}) when {@code value} is not {@code A.B.C.D/N} with N from {@code minBits} to {@code maxBits}.
     */
    static int[] parse(String field, String value, int minBits, int maxBits, ConfigProblems problems) {
        String[] parts = value == null ? new String[0] : value.split("/", 2);
        Integer base = parts.length == 2 ? Ipv4.parse(parts[0]) : null;
        int bits;
        try {
            bits = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (base == null || bits < minBits || bits > maxBits) {
            problems.add(field, value, "an IPv4 subnet of /" + minBits + " to /" + maxBits + " such as 10.77.0.0/16");
            return null;
        }
        return new int[] {base & mask(bits), bits};
    }

    static int mask(int bits) {
        return bits == 0 ? 0 : (int) (0xffffffffL << (32 - bits));
    }

    /** Whether {@code ip} is a host address (neither the network nor the broadcast address) of {@code net}. */
    static boolean hostOf(int ip, int[] net) {
        int mask = mask(net[1]);
        return (ip & mask) == net[0] && ip != net[0] && ip != (net[0] | ~mask);
    }

    static String format(int[] net) {
        return Ipv4.format(net[0]) + "/" + net[1];
    }
}
