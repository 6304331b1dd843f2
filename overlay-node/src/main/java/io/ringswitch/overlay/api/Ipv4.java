package io.ringswitch.overlay.api;

/** IPv4 addresses as ints (network order), read from and written as dotted quads without any name lookup. */
public final class Ipv4 {
    private Ipv4() {
    }

    /** The address, or null when {@code text} is not a dotted quad. */
    public static Integer parse(String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int b = Integer.parseInt(p);
            if (b > 255) {
                return null;
            }
            v = v << 8 | b;
        }
        return v;
    }

    public static String format(int ip) {
        return (ip >>> 24) + "." + (ip >>> 16 & 0xff) + "." + (ip >>> 8 & 0xff) + "." + (ip & 0xff);
    }
}
